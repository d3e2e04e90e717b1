import { describe, expect, test } from "bun:test";
import { encodeMessage, parseQuery } from "../../../src/core/dns/codec.ts";
import { judgeReply } from "../../../src/core/forward/_upstream-exchange.ts";
import { query } from "../../_fake-resolver.ts";

const SOA = { mname: "ns.test", rname: "host.test", serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 50 };

describe("judgeReply()", () => {
  const sent = query("a.test", "A");
  const end = (parseQuery(sent) as { questionEnd: number }).questionEnd;
  const headerOnly = (rcode: number, withSoa: boolean) =>
    new Uint8Array(
      encodeMessage({
        id: 0x1234,
        type: "response",
        flags: 0x8180 | rcode,
        questions: [],
        authorities: withSoa ? [{ name: "test", type: "SOA", ttl: 60, data: SOA }] : [],
      }),
    );

  test("judgeReply() accepts a header-only error reply with no question and no records", () => {
    const verdict = judgeReply(headerOnly(1, false), sent, end);
    // Its layout: no records, the first one would start right after the header.
    expect(verdict).toEqual({ qdcount: 0, ancount: 0, nscount: 0, arcount: 0, recordStarts: [12] });
  });

  test("judgeReply() takes a reply without a question but with records as stray", () => {
    expect(judgeReply(headerOnly(3, true), sent, end)).toBe("stray");
  });

  test("judgeReply() takes a NOERROR reply without a question as stray", () => {
    expect(judgeReply(headerOnly(0, false), sent, end)).toBe("stray");
  });

  test("judgeReply() takes a query (QR clear) as stray", () => {
    expect(judgeReply(sent, sent, end)).toBe("stray");
  });
});
