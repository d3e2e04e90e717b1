import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { MAX_LENGTH_DIGITS, RecordIoDecoder, type RecordIoItem } from "../../../src/core/mesos/recordio.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The RecordIO framing of `records`, as one byte array. */
function frame(...records: string[]): Uint8Array {
  return encoder.encode(records.map((record) => `${encoder.encode(record).length}\n${record}`).join(""));
}

/** Feeds `chunks` and ends the stream; every item, in order. */
function decodeChunks(chunks: readonly Uint8Array[], max = 1 << 20): RecordIoItem[] {
  const recordIo = new RecordIoDecoder(max);
  const items: RecordIoItem[] = [];
  for (const chunk of chunks) items.push(...recordIo.push(chunk));
  items.push(...recordIo.end());
  return items;
}

/** Items as text: records as their UTF-8 text, errors prefixed with "error: ". */
function texts(items: readonly RecordIoItem[]): string[] {
  return items.map((item) => (item.ok ? decoder.decode(item.record) : `error: ${item.error}`));
}

/** `bytes` cut at the sorted offsets `cuts`. */
function cut(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const to of cuts) {
    chunks.push(bytes.slice(from, to));
    from = to;
  }
  chunks.push(bytes.slice(from));
  return chunks;
}

const records = ['{"type":"HEARTBEAT"}', "", "x", '{"name":"caf\u00e9 \u{1F600}"}', "1234567890".repeat(3)];
const stream = frame(...records);

describe("RecordIoDecoder", () => {
  test("RecordIoDecoder decodes the same records whatever byte offset the stream is split at", () => {
    for (let offset = 0; offset <= stream.length; offset++) {
      expect(texts(decodeChunks(cut(stream, [offset])))).toEqual(records);
    }
  });

  test("RecordIoDecoder decodes the same records from every pair of split offsets and from single bytes", () => {
    for (let first = 0; first <= stream.length; first++) {
      for (let second = first; second <= stream.length; second++) {
        expect(texts(decodeChunks(cut(stream, [first, second])))).toEqual(records);
      }
    }
    const bytes = Array.from(stream, (byte) => Uint8Array.of(byte));
    expect(texts(decodeChunks(bytes))).toEqual(records);
  });

  test("RecordIoDecoder decodes random records under random chunkings", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "grapheme", maxLength: 40 }), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (input, rawCuts) => {
          const bytes = frame(...input);
          const cuts = rawCuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b);
          expect(texts(decodeChunks(cut(bytes, cuts)))).toEqual(input);
        },
      ),
      { numRuns: 500 },
    );
  });

  test("RecordIoDecoder returns the records a chunk completes, in order, and keeps the rest", () => {
    const recordIo = new RecordIoDecoder(100);
    expect(texts(recordIo.push(encoder.encode("1\na2\nbc3")))).toEqual(["a", "bc"]);
    expect(texts(recordIo.push(encoder.encode("\nde")))).toEqual([]);
    expect(texts(recordIo.push(encoder.encode("f")))).toEqual(["def"]);
    expect(recordIo.push(new Uint8Array(0))).toEqual([]);
    expect(recordIo.end()).toEqual([]);
  });

  test("RecordIoDecoder copies records, so the caller may reuse its chunk", () => {
    const recordIo = new RecordIoDecoder(100);
    const chunk = encoder.encode("3\nabc");
    const [item] = recordIo.push(chunk);
    chunk.fill(0x7a);
    expect(texts([item!])).toEqual(["abc"]);
  });

  test("RecordIoDecoder accepts a length with leading zeros and an empty record", () => {
    expect(texts(decodeChunks([encoder.encode("003\nabc0\n")]))).toEqual(["abc", ""]);
  });

  test("RecordIoDecoder rejects a length line with a byte that is not a digit, naming the byte and where", () => {
    expect(texts(decodeChunks([encoder.encode("2\nok{}")]))).toEqual([
      "ok",
      'error: RecordIO length line is not a decimal number: byte "{" (0x7b) at byte 4',
    ]);
    for (const line of ["-1\n", "+1\n", " 1\n", "1 \n", "1\r\n", "0x10\n", "1e3\n"]) {
      const items = decodeChunks([encoder.encode(line)]);
      expect(items).toHaveLength(1);
      expect(items[0]!.ok).toBe(false);
      if (!items[0]!.ok) expect(items[0]!.error).toStartWith("RecordIO length line is not a decimal number");
    }
    expect(texts(decodeChunks([Uint8Array.of(0x31, 0x00)]))).toEqual([
      "error: RecordIO length line is not a decimal number: byte 0x00 at byte 1",
    ]);
  });

  test("RecordIoDecoder rejects an empty length line", () => {
    expect(texts(decodeChunks([encoder.encode("1\na\n")]))).toEqual([
      "a",
      "error: RecordIO length line is empty at byte 3",
    ]);
  });

  test("RecordIoDecoder rejects a length line without a newline within 20 digits", () => {
    const digits = "1".repeat(MAX_LENGTH_DIGITS);
    expect(texts(decodeChunks([encoder.encode(`${digits}1\n`)], Number.MAX_VALUE))).toEqual([
      `error: RecordIO length line has no newline within 20 digits at byte 20`,
    ]);
    // 20 digits are still a length (here over the limit).
    expect(texts(decodeChunks([encoder.encode(`${digits}\n`)]))).toEqual([
      `error: RecordIO record of ${digits} bytes at byte 0 is over the limit of 1048576 bytes`,
    ]);
  });

  test("RecordIoDecoder rejects a length over the limit before buffering, saying both numbers", () => {
    const recordIo = new RecordIoDecoder(10);
    expect(texts(recordIo.push(encoder.encode("10\n0123456789")))).toEqual(["0123456789"]);
    expect(texts(recordIo.push(encoder.encode("11\n")))).toEqual([
      "error: RecordIO record of 11 bytes at byte 13 is over the limit of 10 bytes",
    ]);
  });

  test("RecordIoDecoder stops after an error: every later push and end return []", () => {
    const recordIo = new RecordIoDecoder(10);
    const items = recordIo.push(encoder.encode("1\naX\n1\nb"));
    expect(texts(items)).toEqual([
      "a",
      'error: RecordIO length line is not a decimal number: byte "X" (0x58) at byte 3',
    ]);
    expect(recordIo.push(encoder.encode("1\nc"))).toEqual([]);
    expect(recordIo.end()).toEqual([]);
  });

  test("RecordIoDecoder.end() inside a record says how many bytes were missing", () => {
    expect(texts(decodeChunks([encoder.encode("2\nab5\nabc")]))).toEqual([
      "ab",
      "error: RecordIO stream ended inside a 5-byte record at byte 9: 2 bytes missing",
    ]);
    expect(texts(decodeChunks([encoder.encode("5\n")]))).toEqual([
      "error: RecordIO stream ended inside a 5-byte record at byte 2: 5 bytes missing",
    ]);
  });

  test("RecordIoDecoder.end() inside a length line says at least the newline and the record are missing", () => {
    expect(texts(decodeChunks([encoder.encode("1\na12")]))).toEqual([
      "a",
      'error: RecordIO stream ended inside the length line "12" at byte 5: at least 13 bytes missing',
    ]);
  });

  test("RecordIoDecoder.end() between records, or on an empty stream, gives nothing; a second end() too", () => {
    const recordIo = new RecordIoDecoder(10);
    expect(recordIo.end()).toEqual([]);
    expect(decodeChunks([frame("a", "b")]).every((item) => item.ok)).toBe(true);
    const ended = new RecordIoDecoder(10);
    ended.push(encoder.encode("3\na"));
    expect(ended.end()).toHaveLength(1);
    expect(ended.end()).toEqual([]);
  });

  test("RecordIoDecoder with a NaN or negative limit accepts only empty records", () => {
    for (const max of [Number.NaN, -1]) {
      expect(texts(decodeChunks([encoder.encode("0\n1\na")], max))).toEqual([
        "",
        "error: RecordIO record of 1 bytes at byte 2 is over the limit of 0 bytes",
      ]);
    }
  });

  test("RecordIoDecoder decodes a 5 MB record fed in 1 KB chunks in linear time", () => {
    const size = 5 * 1024 * 1024;
    const body = new Uint8Array(size);
    for (let i = 0; i < size; i++) body[i] = i % 251;
    const head = encoder.encode(`${size}\n`);
    const bytes = new Uint8Array(head.length + size + 3);
    bytes.set(head);
    bytes.set(body, head.length);
    bytes.set(encoder.encode("1\nz"), head.length + size);
    const recordIo = new RecordIoDecoder(size);
    const items: RecordIoItem[] = [];
    for (let at = 0; at < bytes.length; at += 1024)
      items.push(...recordIo.push(bytes.subarray(at, at + 1024)));
    items.push(...recordIo.end());
    expect(items).toHaveLength(2);
    const first = items[0]!;
    expect(first.ok && first.record.length).toBe(size);
    expect(first.ok && first.record.every((byte, i) => byte === i % 251)).toBe(true);
    expect(texts(items.slice(1))).toEqual(["z"]);
  });
});
