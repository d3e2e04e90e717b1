/**
 * The 5-character hash in canonical task names (docs/spec.md §5.8): SHA-1 of the task id's UTF-8
 * bytes, z-base-32 encoded, first 5 characters (the top 25 bits of the digest).
 *
 * SHA-1 is written out here because the generator is synchronous and runs for every task
 * on every refresh: `crypto.subtle.digest` is async and far slower per call for short inputs.
 *
 * @module
 */

const ZBASE32 = "ybndrfg8ejkmcpqxot1uwisza345h769";

// Reused across calls: the generator is single-threaded and the function is not re-entrant.
const words = new Int32Array(80);
const digest = new Int32Array(5);
let bytes = new Uint8Array(256);

/** Writes `text` as UTF-8 into `bytes` (grown as needed); lone surrogates become U+FFFD like TextEncoder. */
function encodeUtf8(text: string): number {
  const need = text.length * 3 + 72;
  if (bytes.length < need) bytes = new Uint8Array(need * 2);
  const out = bytes;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 63);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          out[n++] = 0xf0 | (cp >> 18);
          out[n++] = 0x80 | ((cp >> 12) & 63);
          out[n++] = 0x80 | ((cp >> 6) & 63);
          out[n++] = 0x80 | (cp & 63);
          continue;
        }
        c = 0xfffd;
      }
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    }
  }
  return n;
}

/** The SHA-1 digest of `bytes[0..length)` (FIPS 180-4), written to `digest`. */
function sha1(length: number): void {
  // Padding: 0x80, zeros, then the bit length as a 64-bit big-endian integer.
  const total = (((length + 8) >> 6) + 1) << 6;
  const b = bytes;
  b[length] = 0x80;
  b.fill(0, length + 1, total);
  const bits = length * 8;
  b[total - 4] = bits >>> 24;
  b[total - 3] = (bits >>> 16) & 0xff;
  b[total - 2] = (bits >>> 8) & 0xff;
  b[total - 1] = bits & 0xff;
  b[total - 5] = Math.floor(bits / 0x100000000) & 0xff;
  start();
  const w = words;
  for (let off = 0; off < total; off += 64) {
    for (let i = 0; i < 16; i++) {
      const j = off + i * 4;
      w[i] = (b[j]! << 24) | (b[j + 1]! << 16) | (b[j + 2]! << 8) | b[j + 3]!;
    }
    compress();
  }
}

/**
 * {@link sha1} of `text` when it is ASCII and fits one block (at most 55 characters, as
 * Mesos task ids do), packed straight into the message words; false, having done nothing
 * useful, for any other text.
 */
function sha1ShortAscii(text: string): boolean {
  const length = text.length;
  if (length > 55) return false;
  const w = words;
  w.fill(0, 0, 16);
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return false;
    w[i >> 2]! |= c << (24 - ((i & 3) << 3));
  }
  w[length >> 2]! |= 0x80 << (24 - ((length & 3) << 3));
  w[15] = length * 8;
  start();
  compress();
  return true;
}

function start(): void {
  digest[0] = 0x67452301;
  digest[1] = 0xefcdab89 | 0;
  digest[2] = 0x98badcfe | 0;
  digest[3] = 0x10325476;
  digest[4] = 0xc3d2e1f0 | 0;
}

/** One SHA-1 block: the message words in `words[0..16)`, the running digest in `digest`. */
function compress(): void {
  const w = words;
  for (let i = 16; i < 80; i++) {
    const x = w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!;
    w[i] = (x << 1) | (x >>> 31);
  }
  let a = digest[0]!;
  let bb = digest[1]!;
  let c = digest[2]!;
  let d = digest[3]!;
  let e = digest[4]!;
  // The four round groups are separate loops so each stays branch-free.
  for (let i = 0; i < 20; i++) {
    const t = (((a << 5) | (a >>> 27)) + ((bb & c) | (~bb & d)) + e + 0x5a827999 + w[i]!) | 0;
    e = d;
    d = c;
    c = (bb << 30) | (bb >>> 2);
    bb = a;
    a = t;
  }
  for (let i = 20; i < 40; i++) {
    const t = (((a << 5) | (a >>> 27)) + (bb ^ c ^ d) + e + 0x6ed9eba1 + w[i]!) | 0;
    e = d;
    d = c;
    c = (bb << 30) | (bb >>> 2);
    bb = a;
    a = t;
  }
  for (let i = 40; i < 60; i++) {
    const t = (((a << 5) | (a >>> 27)) + ((bb & c) | (bb & d) | (c & d)) + e + -0x70e44324 + w[i]!) | 0;
    e = d;
    d = c;
    c = (bb << 30) | (bb >>> 2);
    bb = a;
    a = t;
  }
  for (let i = 60; i < 80; i++) {
    const t = (((a << 5) | (a >>> 27)) + (bb ^ c ^ d) + e + -0x359d3e2a + w[i]!) | 0;
    e = d;
    d = c;
    c = (bb << 30) | (bb >>> 2);
    bb = a;
    a = t;
  }
  digest[0] = (digest[0]! + a) | 0;
  digest[1] = (digest[1]! + bb) | 0;
  digest[2] = (digest[2]! + c) | 0;
  digest[3] = (digest[3]! + d) | 0;
  digest[4] = (digest[4]! + e) | 0;
}

/**
 * The 5-character z-base-32 hash of a task id used in canonical task names (docs/spec.md §5.8).
 * `taskHash("test")` is `"iffe9"`.
 */
export function taskHash(id: string): string {
  if (!sha1ShortAscii(id)) sha1(encodeUtf8(id));
  const top = digest[0]! >>> 0;
  // One allocation: `+` on single characters would build a rope of five strings.
  return String.fromCharCode(
    ZBASE32.charCodeAt(top >>> 27),
    ZBASE32.charCodeAt((top >>> 22) & 31),
    ZBASE32.charCodeAt((top >>> 17) & 31),
    ZBASE32.charCodeAt((top >>> 12) & 31),
    ZBASE32.charCodeAt((top >>> 7) & 31),
  );
}

/** The full SHA-1 digest of `text`'s UTF-8 bytes as lower-case hex (checked against known vectors in tests). */
export function sha1Hex(text: string): string {
  if (!sha1ShortAscii(text)) sha1(encodeUtf8(text));
  let out = "";
  for (const word of digest) out += (word >>> 0).toString(16).padStart(8, "0");
  return out;
}
