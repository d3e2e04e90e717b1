import { describe, expect, test } from "bun:test";
import { FrameReader, frameMessage } from "../../../src/core/dns/tcp-framing.ts";

describe("tcp-framing", () => {
  test("FrameReader.push() reassembles messages split across chunks and several per chunk", () => {
    const a = frameMessage(Uint8Array.of(1, 2, 3));
    const b = frameMessage(Uint8Array.of(4, 5));
    const joined = new Uint8Array([...a, ...b]);
    const reader = new FrameReader();
    expect(reader.push(joined.subarray(0, 1))).toEqual([]);
    expect(reader.push(joined.subarray(1, 4))).toEqual([]);
    const out = reader.push(joined.subarray(4));
    expect(out.map((m) => [...m])).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  test("FrameReader.push() returns an empty message for a zero length prefix", () => {
    expect(new FrameReader().push(Uint8Array.of(0, 0)).map((m) => m.length)).toEqual([0]);
  });

  test("FrameReader.push() takes a 64 KB message one byte at a time and splits a length prefix", () => {
    const message = new Uint8Array(65535).map((_, i) => i & 0xff);
    const framed = frameMessage(message);
    const reader = new FrameReader();
    const out: Uint8Array[] = [];
    for (let i = 0; i < framed.length; i++) out.push(...reader.push(framed.subarray(i, i + 1)));
    expect(out).toHaveLength(1);
    expect(out[0]).toEqual(message);
  });
});
