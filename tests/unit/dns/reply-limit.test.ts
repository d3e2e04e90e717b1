import { describe, expect, test } from "bun:test";
import { decodeMessage, FLAG, get16 } from "../../../src/core/dns/codec.ts";
import { limitReply } from "../../../src/core/dns/reply-limit.ts";

/** Wire name for "big.fwd.test". */
const QNAME = [3, 98, 105, 103, 3, 102, 119, 100, 4, 116, 101, 115, 116, 0];

/**
 * A reply to big.fwd.test A with `n` compressed A answers (16 bytes each), optionally an
 * authority SOA (whose RNAME points into the SOA itself, or into the first answer's rdata
 * owner name of the last answer when `soaPointsIntoAnswers`), and an OPT record.
 */
function bigReply(
  n: number,
  opts: { tc?: boolean; soa?: boolean; soaPointsIntoAnswers?: boolean; opt?: boolean } = {},
) {
  const b: number[] = [
    0xab,
    0xcd,
    0x84 | (opts.tc ? 2 : 0),
    0x80,
    0,
    1,
    0,
    n,
    0,
    opts.soa ? 1 : 0,
    0,
    opts.opt ? 1 : 0,
  ];
  b.push(...QNAME, 0, 1, 0, 1);
  for (let i = 1; i <= n; i++) b.push(0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 8, 1, i);
  if (opts.soa) {
    const soaStart = b.length;
    // owner -> "fwd.test" at offset 16; MNAME "ns" -> 16; RNAME "host" -> MNAME (inside this record).
    const mnameAt = soaStart + 12;
    const lastAnswerAt = 12 + QNAME.length + 4 + (n - 1) * 16;
    const rdata = [2, 110, 115, 0xc0, 16];
    const rname = opts.soaPointsIntoAnswers
      ? [4, 104, 111, 115, 116, 0xc0 | (lastAnswerAt >> 8), lastAnswerAt & 0xff]
      : [4, 104, 111, 115, 116, 0xc0 | (mnameAt >> 8), mnameAt & 0xff];
    rdata.push(...rname, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5);
    b.push(0xc0, 16, 0, 6, 0, 1, 0, 0, 0, 30, 0, rdata.length, ...rdata);
  }
  if (opts.opt) b.push(0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0);
  return Uint8Array.from(b);
}

const counts = (msg: Uint8Array) => [get16(msg, 6), get16(msg, 8), get16(msg, 10)];
const tc = (msg: Uint8Array) => (get16(msg, 2) & FLAG.TC) !== 0;

describe("limitReply()", () => {
  test("limitReply() leaves a reply that fits alone and keeps the resolver's TC", () => {
    const msg = bigReply(3, { tc: true });
    const out = limitReply(msg, 512, true);
    expect(out).toBe(msg);
    expect(tc(out)).toBe(true);
  });

  test("limitReply() clears TC on a relayed reply when SetTruncateBit is false", () => {
    expect(tc(limitReply(bigReply(3, { tc: true }), 512, false))).toBe(false);
  });

  test("limitReply() keeps 30 of 40 answers for a 512-byte limit and sets TC", () => {
    const msg = bigReply(40, { opt: true });
    const out = limitReply(msg, 512, true);
    expect(counts(out)).toEqual([30, 0, 0]);
    expect(out.length).toBe(510);
    expect(tc(out)).toBe(true);
    expect(decodeMessage(out)?.answers?.map((a) => a.data)).toEqual(
      Array.from({ length: 30 }, (_, i) => `10.8.1.${i + 1}`),
    );
  });

  test("limitReply() drops only the additional section when that is enough, and still sets TC", () => {
    const msg = bigReply(30, { opt: true });
    expect(msg.length).toBe(521);
    const out = limitReply(msg, 512, true);
    expect(counts(out)).toEqual([30, 0, 0]);
    expect(tc(out)).toBe(true);
  });

  test("limitReply() drops one more answer when the cut reply would be exactly the limit", () => {
    const out = limitReply(bigReply(31), 510, true);
    expect(get16(out, 6)).toBe(29);
    expect(out.length).toBe(494);
  });

  test("limitReply() does not set TC when SetTruncateBit is false, even when it cut", () => {
    const out = limitReply(bigReply(40), 512, false);
    expect(get16(out, 6)).toBe(30);
    expect(tc(out)).toBe(false);
  });

  test("limitReply() keeps the authority section and moves its inner pointers with it", () => {
    const msg = bigReply(40, { soa: true, opt: true });
    const before = decodeMessage(msg)!.authorities![0];
    expect((before!.data as { rname: string }).rname).toBe("host.ns.fwd.test");
    const out = limitReply(msg, 512, true);
    expect(counts(out)).toEqual([get16(out, 6), 1, 0]);
    expect(out.length).toBeLessThan(512);
    const after = decodeMessage(out)!;
    expect(after.authorities![0]).toEqual(before!);
    expect(after.answers!.length).toBe(get16(out, 6));
  });

  test("limitReply() re-encodes when an authority pointer targets a dropped answer", () => {
    const msg = bigReply(40, { soa: true, soaPointsIntoAnswers: true });
    const out = limitReply(msg, 512, true);
    const decoded = decodeMessage(out)!;
    expect(out.length).toBeLessThan(512);
    expect(decoded.authorities).toHaveLength(1);
    expect(decoded.answers!.length).toBeGreaterThan(0);
    expect(decoded.answers!.length).toBeLessThan(40);
    expect(tc(out)).toBe(true);
    expect(decoded.id).toBe(0xabcd);
    expect((decoded.authorities![0]!.data as { rname: string }).rname).toBe("host.big.fwd.test");
  });

  test("limitReply() never cuts a TCP-sized reply", () => {
    const msg = bigReply(40, { opt: true });
    expect(limitReply(msg, 65535, true)).toBe(msg);
  });
});
