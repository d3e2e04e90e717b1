import { describe, expect, test } from "bun:test";
import {
  errorReply,
  FLAG,
  type ParsedQuery,
  parseQuery,
  QTYPE,
  qtypeName,
  RCODE,
  udpLimit,
} from "../../../src/core/dns/codec.ts";

/** Wire labels of a dotted name ("" is the root). */
function labels(name: string): number[] {
  const out: number[] = [];
  for (const label of name === "" ? [] : name.split("."))
    out.push(label.length, ...new TextEncoder().encode(label));
  return [...out, 0];
}

/** An OPT record: owner, type 41, class = UDP size, TTL = extended rcode, version, DO. */
function opt(udpSize: number, version = 0, dnssecOk = false, owner: number[] = [0]): number[] {
  return [...owner, 0, 41, udpSize >> 8, udpSize & 0xff, 0, version, dnssecOk ? 0x80 : 0, 0, 0, 0];
}

/** A header: id 0x1234, `flags`, counts. */
function header(flags: number, qd: number, an = 0, ns = 0, ar = 0): number[] {
  return [0x12, 0x34, flags >> 8, flags & 0xff, 0, qd, 0, an, 0, ns, 0, ar];
}

const question = (name: string, qtype: number = QTYPE.A, qclass = 1) => [
  ...labels(name),
  qtype >> 8,
  qtype & 0xff,
  qclass >> 8,
  qclass & 0xff,
];

function parsed(bytes: number[]): ParsedQuery {
  const result = parseQuery(Uint8Array.from(bytes));
  if (typeof result === "string") throw new Error(`expected a query, got ${result}`);
  return result;
}

describe("parseQuery()", () => {
  test("parseQuery() reads the header, the first question and no EDNS", () => {
    const bytes = [...header(FLAG.RD, 1), ...question("Web.Marathon.mesos", QTYPE.SRV)];
    expect(parsed(bytes)).toEqual({
      id: 0x1234,
      flags: FLAG.RD,
      opcode: 0,
      qdcount: 1,
      name: "Web.Marathon.mesos",
      lowerName: "web.marathon.mesos",
      qtype: QTYPE.SRV,
      qclass: 1,
      questionEnd: bytes.length,
      edns: undefined,
    });
  });

  test("parseQuery() reads the OPT record's UDP size, version and DO bit", () => {
    const q = parsed([...header(0, 1, 0, 0, 1), ...question("a.mesos"), ...opt(1232, 0, true)]);
    expect(q.edns).toEqual({ udpSize: 1232, version: 0, dnssecOk: true });
    expect(q.questionEnd).toBe(12 + labels("a.mesos").length + 4);
  });

  test("parseQuery() reads the opcode and the root name", () => {
    const q = parsed([...header(4 << 11, 1), ...question("", QTYPE.SOA)]);
    expect([q.opcode, q.name, q.lowerName, q.qtype]).toEqual([4, "", "", QTYPE.SOA]);
  });

  test("parseQuery() writes dots, backslashes and unprintable label bytes as \\DDD", () => {
    const name = [3, 0x61, 0x2e, 0x5c, 2, 0x20, 0x41, 0];
    const q = parsed([...header(0, 1), ...name, 0, 1, 0, 1]);
    expect(q.name).toBe("a\\046\\092.\\032A");
    expect(q.lowerName).toBe("a\\046\\092.\\032a");
  });

  test("parseQuery() names why a packet is not a query", () => {
    const problem = (bytes: number[]) => parseQuery(Uint8Array.from(bytes));
    expect(problem([0x12, 0x34, 0, 0, 0, 1])).toBe("short");
    expect(problem([...header(FLAG.QR, 1), ...question("a.mesos")])).toBe("response");
    expect(problem(header(0, 0))).toBe("no-question");
    // A label running past the end, a compression pointer in the question, a cut-off type.
    expect(problem([...header(0, 1), 5, 0x61, 0x62])).toBe("malformed");
    expect(problem([...header(0, 1), 0xc0, 12, 0, 1, 0, 1])).toBe("malformed");
    expect(problem([...header(0, 1), ...labels("a.mesos"), 0, 1])).toBe("malformed");
    // A second question cut short.
    expect(problem([...header(0, 2), ...question("a.mesos"), 1, 0x62])).toBe("malformed");
    // A name over 255 octets.
    const long = Array.from({ length: 5 }, () => "x".repeat(60)).join(".");
    expect(problem([...header(0, 1), ...question(long)])).toBe("malformed");
  });

  test("parseQuery() rejects an OPT record that is duplicated, not in the additional section or not the root's (RFC 6891 6.1.1)", () => {
    const base = [...header(0, 1, 0, 0, 2), ...question("a.mesos")];
    expect(parseQuery(Uint8Array.from([...base, ...opt(512), ...opt(512)]))).toBe("malformed");
    // An OPT among the answers, with the additional section holding another.
    const inAnswer = [...header(0, 1, 1, 0, 1), ...question("a.mesos"), ...opt(512), ...opt(512)];
    expect(parseQuery(Uint8Array.from(inAnswer))).toBe("malformed");
    const named = [...header(0, 1, 0, 0, 1), ...question("a.mesos"), ...opt(512, 0, false, [1, 0x61, 0])];
    expect(parseQuery(Uint8Array.from(named))).toBe("malformed");
    // An additional record whose RDATA runs past the end.
    const cut = [...header(0, 1, 0, 0, 1), ...question("a.mesos"), 0, 0, 41, 2, 0, 0, 0, 0, 0, 0, 9];
    expect(parseQuery(Uint8Array.from(cut))).toBe("malformed");
  });
});

describe("errorReply()", () => {
  test("errorReply() without a parsed query is a bare header: same ID, QR, the rcode, opcode 0", () => {
    const reply = errorReply(Uint8Array.from([0xab, 0xcd, 0x7f, 0xff, 9, 9, 9, 9]), undefined, RCODE.FORMERR);
    expect([...reply]).toEqual([0xab, 0xcd, 0x80, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  test("errorReply() keeps the header and first question, copies RD and CD, and drops the rest", () => {
    const query = [
      ...header(FLAG.RD | FLAG.CD | FLAG.AD, 1, 0, 0, 1),
      ...question("Example.org"),
      ...opt(4096),
    ];
    const q = parsed(query);
    const reply = errorReply(Uint8Array.from(query), q, RCODE.SERVFAIL);
    expect(reply.length).toBe(q.questionEnd);
    const flags = (reply[2]! << 8) | reply[3]!;
    expect(flags).toBe(FLAG.QR | FLAG.RD | FLAG.CD | RCODE.SERVFAIL);
    expect([...reply.subarray(0, 2)]).toEqual([0x12, 0x34]);
    expect([...reply.subarray(4, 12)]).toEqual([0, 1, 0, 0, 0, 0, 0, 0]);
    expect([...reply.subarray(12)]).toEqual(query.slice(12, q.questionEnd));
  });

  test("errorReply() keeps another opcode but copies no RD or CD for it (docs/spec.md §6.4)", () => {
    const query = [...header((5 << 11) | FLAG.RD | FLAG.CD, 1), ...question("a.mesos")];
    const reply = errorReply(Uint8Array.from(query), parsed(query), RCODE.NOTIMP);
    expect((reply[2]! << 8) | reply[3]!).toBe(FLAG.QR | (5 << 11) | RCODE.NOTIMP);
  });
});

describe("udpLimit()", () => {
  test("udpLimit() is 512 without EDNS, else the client's size clamped to 512..4096", () => {
    const edns = (udpSize: number) => ({ udpSize, version: 0, dnssecOk: false });
    expect(udpLimit(undefined)).toBe(512);
    expect(udpLimit(edns(0))).toBe(512);
    expect(udpLimit(edns(511))).toBe(512);
    expect(udpLimit(edns(1232))).toBe(1232);
    expect(udpLimit(edns(4096))).toBe(4096);
    expect(udpLimit(edns(65535))).toBe(4096);
  });
});

describe("qtypeName()", () => {
  test("qtypeName() gives the mnemonic, or TYPEn for a type without one", () => {
    expect([1, 28, 33, 43, 252, 255].map(qtypeName)).toEqual(["A", "AAAA", "SRV", "DS", "AXFR", "ANY"]);
    expect(qtypeName(65)).toBe("TYPE65");
    expect(qtypeName(0)).toBe("TYPE0");
  });
});
