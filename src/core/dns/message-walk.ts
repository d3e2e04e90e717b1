/**
 * Walking a DNS message's records without decoding them: where each record starts, its
 * type and TTL, and where the compression pointers of a section are. The forwarder uses
 * this to check that a resolver's reply parses, to read and patch TTLs for its cache, and
 * to truncate replies by cutting bytes.
 *
 * @module
 */
import { get16, put16, QTYPE, skipName } from "./codec.ts";

/** Where the sections of a message are. */
export interface MessageLayout {
  readonly qdcount: number;
  readonly ancount: number;
  readonly nscount: number;
  readonly arcount: number;
  /**
   * Start offset of every record (answer, authority, additional, in order), followed by
   * the end of the last record; so `recordStarts[ancount]` is where authority starts and
   * `recordStarts[ancount + nscount]` where additional starts.
   */
  readonly recordStarts: number[];
}

/** Walks every question and record; undefined when a name or record runs past the end. */
export function layoutMessage(msg: Uint8Array): MessageLayout | undefined {
  if (msg.length < 12) return undefined;
  const qdcount = get16(msg, 4);
  const ancount = get16(msg, 6);
  const nscount = get16(msg, 8);
  const arcount = get16(msg, 10);
  let offset = 12;
  for (let i = 0; i < qdcount; i++) {
    const end = skipName(msg, offset);
    if (end < 0 || end + 4 > msg.length) return undefined;
    offset = end + 4;
  }
  const total = ancount + nscount + arcount;
  // Grown as records are found: the counts are not trusted until the records are there.
  const recordStarts: number[] = [];
  for (let i = 0; i < total; i++) {
    recordStarts.push(offset);
    const nameEnd = skipName(msg, offset);
    if (nameEnd < 0 || nameEnd + 10 > msg.length) return undefined;
    const end = nameEnd + 10 + get16(msg, nameEnd + 8);
    if (end > msg.length) return undefined;
    offset = end;
  }
  recordStarts.push(offset);
  return { qdcount, ancount, nscount, arcount, recordStarts };
}

/**
 * Index (into `layout.recordStarts`) of the one OPT record of the additional section; -1 when
 * there is none, undefined when there are several or one sits in another section (RFC 6891 6.1.1).
 */
function optIndex(msg: Uint8Array, layout: MessageLayout): number | undefined {
  const starts = layout.recordStarts;
  const additional = layout.ancount + layout.nscount;
  let found = -1;
  for (let i = 0; i < starts.length - 1; i++) {
    if (get16(msg, recordTypeOffset(msg, starts[i]!)) !== QTYPE.OPT) continue;
    if (i < additional || found >= 0) return undefined;
    found = i;
  }
  return found;
}

/** True when the OPT record of `msg` carries an option with this code (e.g. 8, Client Subnet). */
export function hasEdnsOption(msg: Uint8Array, code: number): boolean {
  const layout = layoutMessage(msg);
  if (!layout) return false;
  const starts = layout.recordStarts;
  for (let i = layout.ancount + layout.nscount; i < starts.length - 1; i++) {
    const typeAt = recordTypeOffset(msg, starts[i]!);
    if (get16(msg, typeAt) !== QTYPE.OPT) continue;
    const end = starts[i + 1]!;
    for (let o = typeAt + 10; o + 4 <= end; o += 4 + get16(msg, o + 2))
      if (get16(msg, o) === code) return true;
  }
  return false;
}

/**
 * `msg` with every option removed from its OPT record: UDP size, extended RCODE, version and
 * flags kept, RDLENGTH 0. Records after the OPT move down, and compression pointers into them
 * with them. `msg` itself when there is no option to remove; undefined when the message has
 * more than one OPT or an OPT outside the additional section, or a pointer targets the options.
 */
export function withoutEdnsOptions(
  msg: Uint8Array,
  layout: MessageLayout,
): { bytes: Uint8Array; layout: MessageLayout } | undefined {
  const index = optIndex(msg, layout);
  if (index === undefined) return undefined;
  if (index < 0) return { bytes: msg, layout };
  const starts = layout.recordStarts;
  const typeAt = recordTypeOffset(msg, starts[index]!);
  const cutStart = typeAt + 10;
  const cutEnd = starts[index + 1]!;
  const delta = cutEnd - cutStart;
  if (delta === 0) return { bytes: msg, layout };
  const pointers = pointersIn(msg, layout, 0, starts.length - 1);
  for (const p of pointers) {
    const target = pointerTarget(msg, p);
    if (target >= cutStart && target < cutEnd) return undefined;
  }
  const out = new Uint8Array(msg.length - delta);
  out.set(msg.subarray(0, cutStart));
  out.set(msg.subarray(cutEnd), cutStart);
  put16(out, typeAt + 8, 0);
  for (const p of pointers) {
    const target = pointerTarget(msg, p);
    if (target < cutEnd) continue;
    const at = p >= cutEnd ? p - delta : p;
    out[at] = 0xc0 | ((target - delta) >> 8);
    out[at + 1] = (target - delta) & 0xff;
  }
  return {
    bytes: out,
    layout: { ...layout, recordStarts: starts.map((s) => (s >= cutEnd ? s - delta : s)) },
  };
}

/** Offset of the TYPE field of the record starting at `start` (the layout has checked it). */
export function recordTypeOffset(msg: Uint8Array, start: number): number {
  return skipName(msg, start);
}

/**
 * The TTL of the record whose TYPE field is at `typeOffset`; a value with the high bit set
 * reads as 0 (RFC 2181 8).
 */
export function readTtl(msg: Uint8Array, typeOffset: number): number {
  const o = typeOffset + 4;
  const ttl = (msg[o]! << 24) | (msg[o + 1]! << 16) | (msg[o + 2]! << 8) | msg[o + 3]!;
  return Math.max(ttl, 0);
}

/** Writes a TTL at `ttlOffset`. */
export function writeTtl(msg: Uint8Array, ttlOffset: number, ttl: number): void {
  msg[ttlOffset] = (ttl >>> 24) & 0xff;
  msg[ttlOffset + 1] = (ttl >>> 16) & 0xff;
  msg[ttlOffset + 2] = (ttl >>> 8) & 0xff;
  msg[ttlOffset + 3] = ttl & 0xff;
}

/** Offsets of the TTL fields of every record except OPT (whose TTL field holds EDNS flags). */
export function ttlOffsets(msg: Uint8Array, layout: MessageLayout): number[] {
  const out: number[] = [];
  const starts = layout.recordStarts;
  for (let i = 0; i < starts.length - 1; i++) {
    const t = recordTypeOffset(msg, starts[i]!);
    if (get16(msg, t) !== QTYPE.OPT) out.push(t + 4);
  }
  return out;
}

/**
 * True when the reply's first question is the one we sent: the name compared ASCII
 * case-insensitively (resolvers may echo 0x20-style case), type and class exactly.
 * `sent` holds the question bytes of our query: `sent.subarray(12, questionEnd)`.
 */
export function sameQuestion(reply: Uint8Array, sent: Uint8Array, questionEnd: number): boolean {
  if (reply.length < questionEnd || get16(reply, 4) === 0) return false;
  const nameEnd = questionEnd - 4;
  for (let i = 12; i < nameEnd; i++) {
    let a = reply[i]!;
    let b = sent[i]!;
    if (a === b) continue;
    if (a >= 0x41 && a <= 0x5a) a |= 0x20;
    if (b >= 0x41 && b <= 0x5a) b |= 0x20;
    if (a !== b) return false;
  }
  for (let i = nameEnd; i < questionEnd; i++) if (reply[i] !== sent[i]) return false;
  return true;
}

// RR types whose RDATA may hold compressed names (RFC 1035 3.3, RFC 3597 4; SRV, RP, AFSDB, RT, PX and KX
// are compressed by some servers too). Value: byte offsets inside RDATA where names start; -1 means
// "right after the previous name".
const RDATA_NAMES = new Map<number, readonly number[]>([
  [2, [0]], // NS
  [3, [0]], // MD
  [4, [0]], // MF
  [5, [0]], // CNAME
  [6, [0, -1]], // SOA: MNAME, RNAME
  [7, [0]], // MB
  [8, [0]], // MG
  [9, [0]], // MR
  [12, [0]], // PTR
  [14, [0, -1]], // MINFO
  [15, [2]], // MX
  [17, [0, -1]], // RP
  [18, [2]], // AFSDB
  [21, [2]], // RT
  [26, [2, -1]], // PX
  [33, [6]], // SRV
  [36, [2]], // KX
]);

/** Offset of the compression pointer ending the name at `start`, or -1 when it has none. */
function namePointer(msg: Uint8Array, start: number, end: number): number {
  let o = start;
  while (o < end) {
    const len = msg[o]!;
    if (len === 0) return -1;
    if ((len & 0xc0) === 0xc0) return o;
    o += len + 1;
  }
  return -1;
}

/**
 * Offsets of every compression pointer in the records `from` (inclusive) to `to` (exclusive):
 * in owner names and in the RDATA names of the types above. Other types carry no compressed names.
 */
export function pointersIn(msg: Uint8Array, layout: MessageLayout, from: number, to: number): number[] {
  const out: number[] = [];
  const starts = layout.recordStarts;
  for (let i = from; i < to; i++) {
    const start = starts[i]!;
    const typeAt = recordTypeOffset(msg, start);
    const owner = namePointer(msg, start, typeAt);
    if (owner >= 0) out.push(owner);
    const spots = RDATA_NAMES.get(get16(msg, typeAt));
    if (!spots) continue;
    const rdStart = typeAt + 10;
    const rdEnd = starts[i + 1]!;
    let prevEnd = rdStart;
    for (const spot of spots) {
      const nameStart = spot < 0 ? prevEnd : rdStart + spot;
      if (nameStart >= rdEnd) break;
      const p = namePointer(msg, nameStart, rdEnd);
      if (p >= 0) out.push(p);
      const after = skipName(msg, nameStart);
      if (after < 0 || after > rdEnd) break;
      prevEnd = after;
    }
  }
  return out;
}

/** The target of the compression pointer at `at`. */
export function pointerTarget(msg: Uint8Array, at: number): number {
  return ((msg[at]! & 0x3f) << 8) | msg[at + 1]!;
}
