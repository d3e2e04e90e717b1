import { describe, expect, test } from "bun:test";
import {
  layoutMessage,
  pointersIn,
  pointerTarget,
  readTtl,
  recordTypeOffset,
  sameQuestion,
  ttlOffsets,
} from "../../src/core/_message-walk.ts";
import { encodeMessage } from "../../src/core/codec.ts";

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
