import { describe, expect, test } from "bun:test";
import { decodeMessage, FLAG, type ParsedQuery, parseQuery, RCODE } from "../../../src/core/dns/codec.ts";
import type { PreparedAnswer } from "../../../src/core/records/domain-index.ts";
import { type AssembleInput, assembleReply } from "../../../src/core/records/reply-assembler.ts";
import { queryBytes } from "../../_dns-client.ts";

/** An A record owned by the question's name (pointer to offset 12), TTL 60: 16 bytes. */
function aRecord(last: number): Uint8Array {
  return Uint8Array.of(0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, last);
}

function parse(query: Uint8Array): ParsedQuery {
  const parsed = parseQuery(query);
  if (typeof parsed === "string") throw new Error(parsed);
  return parsed;
}

function assemble(query: Uint8Array, answer: Partial<PreparedAnswer>, over: Partial<AssembleInput> = {}) {
  return assembleReply({
    query,
    parsed: parse(query),
    answer: { rcode: RCODE.NOERROR, answers: [], authority: [], additional: [], ...answer },
    recurse: true,
    setTruncateBit: true,
    limit: 512,
    // Fisher-Yates with random() = 0.999... keeps the order.
    random: () => 0.999999,
    ...over,
  });
}

const flagsOf = (reply: Uint8Array) => (reply[2]! << 8) | reply[3]!;
const count = (reply: Uint8Array, at: number) => (reply[at]! << 8) | reply[at + 1]!;
const answerIps = (reply: Uint8Array) => decodeMessage(reply)?.answers.map((a) => a.data);

describe("assembleReply() header and question", () => {
  test("assembleReply() copies the ID and the question as sent, and sets QR, AA, RA, RD and the rcode", () => {
    const query = queryBytes("Web.Marathon.MESOS", "A", { id: 0xbeef });
    const reply = assemble(query, { answers: [aRecord(1)] });
    const parsed = parse(query);
    expect([...reply.subarray(0, 2)]).toEqual([0xbe, 0xef]);
    expect([...reply.subarray(12, parsed.questionEnd)]).toEqual([...query.subarray(12, parsed.questionEnd)]);
    expect(flagsOf(reply)).toBe(FLAG.QR | FLAG.AA | FLAG.RA | FLAG.RD);
    expect([count(reply, 4), count(reply, 6), count(reply, 8), count(reply, 10)]).toEqual([1, 1, 0, 0]);
    expect(decodeMessage(reply)?.questions[0]?.name).toBe("Web.Marathon.MESOS");
  });

  test("assembleReply() leaves RA off when recursion is off and copies CD, but never AD or TC from the query", () => {
    const query = queryBytes("a.mesos", "A");
    query[3]! |= 0x30; // AD and CD
    const reply = assemble(query, { rcode: RCODE.NXDOMAIN, authority: [aRecord(9)] }, { recurse: false });
    expect(flagsOf(reply)).toBe(FLAG.QR | FLAG.AA | FLAG.RD | FLAG.CD | RCODE.NXDOMAIN);
    expect([count(reply, 6), count(reply, 8)]).toEqual([0, 1]);
  });

  test("assembleReply() puts answers in the order random() gives", () => {
    const answers = [aRecord(1), aRecord(2), aRecord(3)];
    const query = queryBytes("a.mesos", "A");
    expect(answerIps(assemble(query, { answers }))).toEqual(["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
    // random() = 0 swaps each position, from the last, with the first: [1,2,3] -> [3,2,1] -> [2,3,1].
    expect(answerIps(assemble(query, { answers }, { random: () => 0 }))).toEqual([
      "10.0.0.2",
      "10.0.0.3",
      "10.0.0.1",
    ]);
  });
});

describe("assembleReply() truncation (docs/spec.md §6.5)", () => {
  const query = queryBytes("a.mesos", "A");
  const questionEnd = parse(query).questionEnd;
  const answers = Array.from({ length: 10 }, (_, i) => aRecord(i + 1));
  const additional = [aRecord(100), aRecord(101)];

  test("assembleReply() keeps everything that fits, without TC", () => {
    const reply = assemble(query, { answers, additional }, { limit: questionEnd + 12 * 16 });
    expect(reply.length).toBe(questionEnd + 12 * 16);
    expect([count(reply, 6), count(reply, 10)]).toEqual([10, 2]);
    expect(flagsOf(reply) & FLAG.TC).toBe(0);
  });

  test("assembleReply() drops the additional section first, then answers from the end until below the limit, and sets TC", () => {
    // Room for the answers alone: the additional records go, the answers stay.
    const roomy = assemble(query, { answers, additional }, { limit: questionEnd + 10 * 16 + 1 });
    expect([count(roomy, 6), count(roomy, 10)]).toEqual([10, 0]);
    expect(flagsOf(roomy) & FLAG.TC).toBe(FLAG.TC);
    // Exactly the size of 10 answers is not below the limit: one more answer goes.
    const exact = assemble(query, { answers, additional }, { limit: questionEnd + 10 * 16 });
    expect(count(exact, 6)).toBe(9);
    expect(exact.length).toBe(questionEnd + 9 * 16);
    expect(answerIps(exact)).toEqual(answers.slice(0, 9).map((_, i) => `10.0.0.${i + 1}`));
  });

  test("assembleReply() does not set TC when SetTruncateBit is false, even when it cut", () => {
    const reply = assemble(query, { answers }, { limit: questionEnd + 3 * 16, setTruncateBit: false });
    expect(count(reply, 6)).toBe(2);
    expect(flagsOf(reply) & FLAG.TC).toBe(0);
  });
});

describe("assembleReply() EDNS", () => {
  /** The OPT record at the end of `reply`: [udp size, extended rcode, version, DO flag byte]. */
  function optOf(reply: Uint8Array): number[] {
    const at = reply.length - 11;
    expect([reply[at], reply[at + 1], reply[at + 2]]).toEqual([0, 0, 41]);
    return [(reply[at + 3]! << 8) | reply[at + 4]!, reply[at + 5]!, reply[at + 6]!, reply[at + 7]!];
  }

  test("assembleReply() echoes an OPT record with the clamped UDP size and the DO bit, counted in ARCOUNT", () => {
    const query = queryBytes("a.mesos", "A", { edns: 1232 });
    const reply = assemble(query, { answers: [aRecord(1)], additional: [aRecord(2)] }, { limit: 1232 });
    expect(count(reply, 10)).toBe(2);
    expect(optOf(reply)).toEqual([1232, 0, 0, 0]);
    const big = queryBytes("a.mesos", "A", { edns: 9000 });
    big[big.length - 4]! |= 0x80; // DO
    expect(optOf(assemble(big, { answers: [aRecord(1)] }))).toEqual([4096, 0, 0, 0x80]);
    const small = queryBytes("a.mesos", "A", { edns: 100 });
    expect(optOf(assemble(small, {}))[0]).toBe(512);
  });

  test("assembleReply() counts the OPT record against the limit", () => {
    const query = queryBytes("a.mesos", "A", { edns: 512 });
    const questionEnd = parse(query).questionEnd;
    const answers = [aRecord(1), aRecord(2)];
    // Two answers and the OPT need questionEnd + 32 + 11 bytes; one byte less cuts one answer.
    expect(count(assemble(query, { answers }, { limit: questionEnd + 32 + 11 }), 6)).toBe(2);
    const reply = assemble(query, { answers }, { limit: questionEnd + 32 + 10 });
    expect(count(reply, 6)).toBe(1);
    expect(reply.length).toBe(questionEnd + 16 + 11);
    expect(flagsOf(reply) & FLAG.TC).toBe(FLAG.TC);
  });

  test("assembleReply() answers EDNS version 1 with BADVERS and no records (RFC 6891 6.1.3)", () => {
    const query = queryBytes("a.mesos", "A", { edns: 1232 });
    query[query.length - 5] = 1; // version
    const reply = assemble(query, { rcode: RCODE.NXDOMAIN, answers: [aRecord(1)], authority: [aRecord(2)] });
    expect(flagsOf(reply) & 0xf).toBe(0);
    expect([count(reply, 6), count(reply, 8), count(reply, 10)]).toEqual([0, 0, 1]);
    // Extended rcode 1 and rcode 0: BADVERS (16); the reply's own version is 0.
    expect(optOf(reply)).toEqual([1232, 1, 0, 0]);
  });

  test("assembleReply() adds no OPT record for a query without EDNS", () => {
    const reply = assemble(queryBytes("a.mesos", "A"), { answers: [aRecord(1)] });
    expect(count(reply, 10)).toBe(0);
    expect(decodeMessage(reply)?.additionals).toEqual([]);
  });
});
