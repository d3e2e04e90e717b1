import { describe, expect, test } from "bun:test";
import { decodeMessage, encodeMessage } from "../../../src/core/dns/codec.ts";
import {
  hasEdnsOption,
  layoutMessage,
  pointersIn,
  pointerTarget,
  readTtl,
  recordTypeOffset,
  sameQuestion,
  ttlOffsets,
  withoutEdnsOptions,
} from "../../../src/core/dns/message-walk.ts";

const message = (): Uint8Array =>
  new Uint8Array(
    encodeMessage({
      id: 1,
      type: "response",
      flags: 0x8180,
      questions: [{ name: "a.test", type: "A", class: "IN" }],
      answers: [
        { name: "a.test", type: "A", ttl: 30, data: "10.0.0.1" },
        { name: "a.test", type: "A", ttl: 20, data: "10.0.0.2" },
      ],
      authorities: [{ name: "test", type: "NS", ttl: 40, data: "ns.test" }],
      additionals: [{ name: ".", type: "OPT", udpPayloadSize: 1232, flags: 0x8000, options: [] } as never],
    }),
  );

describe("layoutMessage()", () => {
  test("layoutMessage() finds the start of every record and the end of the last", () => {
    const msg = message();
    const layout = layoutMessage(msg)!;
    expect([layout.qdcount, layout.ancount, layout.nscount, layout.arcount]).toEqual([1, 2, 1, 1]);
    expect(layout.recordStarts).toHaveLength(5);
    expect(layout.recordStarts[4]).toBe(msg.length);
    expect(readTtl(msg, recordTypeOffset(msg, layout.recordStarts[1]!))).toBe(20);
  });

  test("layoutMessage() rejects a message whose last record runs past the end", () => {
    const msg = message();
    expect(layoutMessage(msg.subarray(0, msg.length - 1))).toBeUndefined();
    expect(layoutMessage(msg.subarray(0, 11))).toBeUndefined();
  });

  test("layoutMessage() rejects counts that promise more records than there are", () => {
    const msg = message();
    msg[7] = 9;
    expect(layoutMessage(msg)).toBeUndefined();
  });
});

describe("layoutMessage() on lying headers", () => {
  test("layoutMessage() rejects a 12-byte header that promises 3 x 65535 records", () => {
    const msg = Uint8Array.from([0, 1, 0x81, 0x80, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(layoutMessage(msg)).toBeUndefined();
  });
});

describe("readTtl()", () => {
  test("readTtl() reads a TTL with the high bit set as 0 (RFC 2181 8)", () => {
    const msg = message();
    const typeAt = recordTypeOffset(msg, layoutMessage(msg)!.recordStarts[0]!);
    msg.set([0x80, 0, 0, 1], typeAt + 4);
    expect(readTtl(msg, typeAt)).toBe(0);
    msg.set([0x7f, 0xff, 0xff, 0xff], typeAt + 4);
    expect(readTtl(msg, typeAt)).toBe(0x7fffffff);
  });
});

/** A reply with an OPT carrying a COOKIE option; when `after` is set, an MX record follows the OPT. */
function withCookie(after: boolean): Uint8Array {
  // Header, question "a.test" A IN (12..24), one answer A owned by a pointer to 12.
  const bytes = [0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, after ? 2 : 1];
  bytes.push(1, 97, 4, 116, 101, 115, 116, 0, 0, 1, 0, 1);
  bytes.push(0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1);
  const cookie = [0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8];
  bytes.push(0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, cookie.length, ...cookie);
  if (after) {
    // "mx.test": "mx" then a pointer to "test" at 14; the record's own MX target points back at it.
    const ownerAt = bytes.length;
    bytes.push(2, 109, 120, 0xc0, 14, 0, 15, 0, 1, 0, 0, 0, 60, 0, 4, 0, 10, 0xc0, ownerAt);
  }
  return Uint8Array.from(bytes);
}

describe("withoutEdnsOptions()", () => {
  test("withoutEdnsOptions() empties the OPT's RDATA, keeping its size, flags and the counts", () => {
    const msg = withCookie(false);
    const out = withoutEdnsOptions(msg, layoutMessage(msg)!)!;
    expect(out.bytes.length).toBe(msg.length - 12);
    expect(out.layout).toEqual(layoutMessage(out.bytes)!);
    expect(Array.from(out.bytes.subarray(out.bytes.length - 11))).toEqual([
      0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0,
    ]);
    expect(Array.from(out.bytes.subarray(0, 12))).toEqual(Array.from(msg.subarray(0, 12)));
  });

  test("withoutEdnsOptions() moves the records after the OPT and the pointers into them", () => {
    const msg = withCookie(true);
    const out = withoutEdnsOptions(msg, layoutMessage(msg)!)!;
    expect(out.layout).toEqual(layoutMessage(out.bytes)!);
    const decoded = decodeMessage(out.bytes)!;
    expect(decoded.additionals!.map((r) => [r.name, r.type])).toEqual([
      [".", "OPT"],
      ["mx.test", "MX"],
    ]);
    expect((decoded.additionals![1]!.data as { exchange: string }).exchange).toBe("mx.test");
  });

  test("withoutEdnsOptions() returns the message itself when its OPT has no options or there is none", () => {
    const msg = message();
    expect(withoutEdnsOptions(msg, layoutMessage(msg)!)!.bytes).toBe(msg);
  });
});

describe("hasEdnsOption()", () => {
  test("hasEdnsOption() finds an option code in the OPT record of a message", () => {
    const msg = withCookie(true);
    expect(hasEdnsOption(msg, 10)).toBe(true);
    expect(hasEdnsOption(msg, 8)).toBe(false);
    expect(hasEdnsOption(message(), 10)).toBe(false);
  });
});

describe("ttlOffsets()", () => {
  test("ttlOffsets() lists every record's TTL field except the OPT's", () => {
    const msg = message();
    const offsets = ttlOffsets(msg, layoutMessage(msg)!);
    expect(offsets.map((o) => readTtl(msg, o - 4))).toEqual([30, 20, 40]);
  });
});

describe("sameQuestion()", () => {
  const sent = message();
  const end = 12 + 8 + 4;
  test("sameQuestion() ignores the letter case of the name", () => {
    const reply = new Uint8Array(sent);
    reply[13] = "A".charCodeAt(0);
    expect(sameQuestion(reply, sent, end)).toBe(true);
  });
  test("sameQuestion() rejects another name, type or an empty question section", () => {
    const other = new Uint8Array(sent);
    other[13] = "b".charCodeAt(0);
    expect(sameQuestion(other, sent, end)).toBe(false);
    const type = new Uint8Array(sent);
    type[end - 3] = 28;
    expect(sameQuestion(type, sent, end)).toBe(false);
    const none = new Uint8Array(sent);
    none[5] = 0;
    expect(sameQuestion(none, sent, end)).toBe(false);
  });
  test("sameQuestion() does not fold the case of type and class bytes", () => {
    const sentA = new Uint8Array(sent);
    sentA[end - 3] = 0x41;
    const replyA = new Uint8Array(sent);
    replyA[end - 3] = 0x61;
    expect(sameQuestion(replyA, sentA, end)).toBe(false);
  });
});

describe("pointersIn()", () => {
  test("pointersIn() finds pointers in owner names and in SOA, MX and SRV rdata", () => {
    // Header, question "a.test" A IN, then one answer: owner -> 12, MX 10 "mx" -> 14 ("test").
    const bytes = [0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0];
    bytes.push(1, 97, 4, 116, 101, 115, 116, 0, 0, 1, 0, 1);
    const rdata = [0, 10, 2, 109, 120, 0xc0, 14];
    bytes.push(0xc0, 12, 0, 15, 0, 1, 0, 0, 0, 60, 0, rdata.length, ...rdata);
    const msg = Uint8Array.from(bytes);
    const layout = layoutMessage(msg)!;
    const pointers = pointersIn(msg, layout, 0, 1);
    expect(pointers.map((p) => pointerTarget(msg, p))).toEqual([12, 14]);
  });
});
