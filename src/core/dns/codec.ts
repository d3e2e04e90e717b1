/**
 * DNS wire format: the fast query reader used on every packet, reply headers, and
 * the full decoder/encoder (dns-packet) for slow paths and tests. This file is the only
 * importer of dns-packet.
 *
 * @module
 */
import dnsPacket from "dns-packet";

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

export const QTYPE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  DS: 43,
  AXFR: 252,
  ANY: 255,
} as const;

const QTYPE_NAMES = new Map<number, string>(Object.entries(QTYPE).map(([k, v]) => [v, k]));

/** `A`, `SRV`, ... or `TYPE65` for types without a mnemonic here. */
export function qtypeName(qtype: number): string {
  return QTYPE_NAMES.get(qtype) ?? `TYPE${qtype}`;
}

export const RCODE_NAMES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"] as const;

/** Header flag bits (second 16-bit word of the header). */
export const FLAG = {
  QR: 0x8000,
  AA: 0x0400,
  TC: 0x0200,
  RD: 0x0100,
  RA: 0x0080,
  AD: 0x0020,
  CD: 0x0010,
} as const;

/** EDNS(0) facts of a query's OPT record. */
export interface Edns {
  readonly udpSize: number;
  readonly version: number;
  /** The DO bit. */
  readonly dnssecOk: boolean;
}

/** What routing needs from a query, read without decoding the whole message. */
export interface ParsedQuery {
  readonly id: number;
  /** The raw 16-bit flags word. */
  readonly flags: number;
  readonly opcode: number;
  readonly qdcount: number;
  /** Question name as sent, labels joined by dots, no trailing dot ("" is the root). */
  readonly name: string;
  /** `name` in ASCII lower case. */
  readonly lowerName: string;
  readonly qtype: number;
  readonly qclass: number;
  /** Offset just past the first question. */
  readonly questionEnd: number;
  readonly edns: Edns | undefined;
}

/** Why a packet could not be read as a query. */
export type QueryProblem = "short" | "response" | "malformed" | "no-question";

/** Reads the header, first question and OPT record of `msg`. Never throws. */
export function parseQuery(msg: Uint8Array): ParsedQuery | QueryProblem {
  if (msg.length < 12) return "short";
  const flags = (msg[2]! << 8) | msg[3]!;
  if (flags & FLAG.QR) return "response";
  const qdcount = (msg[4]! << 8) | msg[5]!;
  if (qdcount === 0) return "no-question";
  const name = readQuestionName(msg, 12);
  if (name === undefined) return "malformed";
  let offset = name.end;
  if (offset + 4 > msg.length) return "malformed";
  const qtype = (msg[offset]! << 8) | msg[offset + 1]!;
  const qclass = (msg[offset + 2]! << 8) | msg[offset + 3]!;
  offset += 4;
  const questionEnd = offset;
  for (let i = 1; i < qdcount; i++) {
    const next = skipName(msg, offset);
    if (next < 0 || next + 4 > msg.length) return "malformed";
    offset = next + 4;
  }
  const edns = readEdns(msg, offset);
  if (edns === null) return "malformed";
  return {
    id: (msg[0]! << 8) | msg[1]!,
    flags,
    opcode: (flags >> 11) & 0xf,
    qdcount,
    name: name.text,
    lowerName: name.lower,
    qtype,
    qclass,
    questionEnd,
    edns,
  };
}

// Scratch space for question names: 255 wire bytes, each at most 4 characters when escaped.
const nameChars = new Uint16Array(1024);
const lowerChars = new Uint16Array(1024);

function charsToString(chars: Uint16Array, length: number): string {
  return String.fromCharCode.apply(null, chars.subarray(0, length) as unknown as number[]);
}

/**
 * Reads an uncompressed question name into its text and lower-case text in one pass.
 * Label bytes that are dots, backslashes or not printable ASCII are written as `\DDD`.
 */
function readQuestionName(
  msg: Uint8Array,
  start: number,
): { text: string; lower: string; end: number } | undefined {
  let offset = start;
  let n = 0;
  let hasUpper = false;
  for (;;) {
    if (offset >= msg.length) return undefined;
    const len = msg[offset]!;
    if (len === 0) {
      offset++;
      break;
    }
    if (len > 63) return undefined; // compression pointers are not expected in a question
    if (offset + 1 + len > msg.length || offset + len + 1 - start > 254) return undefined;
    if (n > 0) {
      nameChars[n] = 46;
      lowerChars[n++] = 46;
    }
    for (let i = offset + 1; i <= offset + len; i++) {
      const c = msg[i]!;
      if (c === 0x2e || c === 0x5c || c < 0x21 || c > 0x7e) {
        nameChars[n] = lowerChars[n] = 92;
        nameChars[n + 1] = lowerChars[n + 1] = 48 + Math.floor(c / 100);
        nameChars[n + 2] = lowerChars[n + 2] = 48 + (Math.floor(c / 10) % 10);
        nameChars[n + 3] = lowerChars[n + 3] = 48 + (c % 10);
        n += 4;
      } else if (c >= 65 && c <= 90) {
        nameChars[n] = c;
        lowerChars[n++] = c + 32;
        hasUpper = true;
      } else {
        nameChars[n] = lowerChars[n] = c;
        n++;
      }
    }
    offset += len + 1;
  }
  const text = charsToString(nameChars, n);
  return { text, lower: hasUpper ? charsToString(lowerChars, n) : text, end: offset };
}

/** ASCII-only lower-casing (DNS names compare case-insensitively for A-Z only). */
export function asciiLower(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) return text.toLowerCase();
  }
  return text;
}

/** Offset after a (possibly compressed) name, or -1. */
export function skipName(msg: Uint8Array, start: number): number {
  let offset = start;
  for (let guard = 0; guard < 128; guard++) {
    if (offset >= msg.length) return -1;
    const len = msg[offset]!;
    if (len === 0) return offset + 1;
    if ((len & 0xc0) === 0xc0) return offset + 2 <= msg.length ? offset + 2 : -1;
    if (len > 63) return -1;
    offset += len + 1;
  }
  return -1;
}

/** Skips answer and authority records after the question and reads an OPT record. null = malformed. */
function readEdns(msg: Uint8Array, questionsEnd: number): Edns | undefined | null {
  const ancount = (msg[6]! << 8) | msg[7]!;
  const nscount = (msg[8]! << 8) | msg[9]!;
  const arcount = (msg[10]! << 8) | msg[11]!;
  if (arcount === 0) return undefined;
  let offset = questionsEnd;
  let edns: Edns | undefined;
  for (let i = 0; i < ancount + nscount + arcount; i++) {
    const nameEnd = skipName(msg, offset);
    if (nameEnd < 0 || nameEnd + 10 > msg.length) return null;
    const type = (msg[nameEnd]! << 8) | msg[nameEnd + 1]!;
    const rdlength = (msg[nameEnd + 8]! << 8) | msg[nameEnd + 9]!;
    const end = nameEnd + 10 + rdlength;
    if (end > msg.length) return null;
    if (type === QTYPE.OPT) {
      // RFC 6891 6.1.1: one OPT, in the additional section, owned by the root; else FORMERR.
      if (edns !== undefined || i < ancount + nscount || nameEnd !== offset + 1) return null;
      edns = {
        udpSize: (msg[nameEnd + 2]! << 8) | msg[nameEnd + 3]!,
        version: msg[nameEnd + 5]!,
        dnssecOk: (msg[nameEnd + 6]! & 0x80) !== 0,
      };
    }
    offset = end;
  }
  return edns;
}

/** The UDP reply size limit for a client: 512 without EDNS, else its size clamped to 512..4096. */
export function udpLimit(edns: Edns | undefined): number {
  if (!edns) return 512;
  return Math.min(4096, Math.max(512, edns.udpSize));
}

/**
 * A reply carrying only a header and the query's first question (or none), used for
 * FORMERR, SERVFAIL, REFUSED and NOTIMP. RD and CD are copied for opcode QUERY only (docs/spec.md §6.4).
 */
export function errorReply(query: Uint8Array, parsed: ParsedQuery | undefined, rcode: number): Uint8Array {
  if (!parsed) {
    // FORMERR for an unreadable message: header only, same ID, opcode 0 (docs/spec.md §6.2).
    const out = new Uint8Array(12);
    out[0] = query[0] ?? 0;
    out[1] = query[1] ?? 0;
    out[2] = 0x80;
    out[3] = rcode & 0xf;
    return out;
  }
  const out = new Uint8Array(parsed.questionEnd);
  out.set(query.subarray(0, parsed.questionEnd));
  const copied = parsed.opcode === 0 ? parsed.flags & (FLAG.RD | FLAG.CD) : 0;
  const flags = FLAG.QR | (parsed.opcode << 11) | copied | (rcode & 0xf);
  out[2] = flags >> 8;
  out[3] = flags & 0xff;
  out[4] = 0;
  out[5] = 1;
  out.fill(0, 6, 12);
  return out;
}

/** Writes a 16-bit big-endian value. */
export function put16(buf: Uint8Array, offset: number, value: number): void {
  buf[offset] = (value >> 8) & 0xff;
  buf[offset + 1] = value & 0xff;
}

/** Reads a 16-bit big-endian value. */
export function get16(buf: Uint8Array, offset: number): number {
  return (buf[offset]! << 8) | buf[offset + 1]!;
}

// ---------------------------------------------------------------- full decode / encode (slow paths)

/** One decoded record, loosely typed (OPT records carry `udpPayloadSize` instead of `data`). */
export interface DecodedRecord {
  readonly name: string;
  readonly type: string;
  readonly ttl?: number;
  readonly class?: string;
  readonly data?: unknown;
  readonly udpPayloadSize?: number;
  readonly flags?: number;
}

/** A decoded message; dns-packet also sets `rcode` (its typings omit it) and always fills the sections. */
export type DecodedMessage = Omit<dnsPacket.DecodedPacket, "answers" | "authorities" | "additionals"> & {
  rcode: string;
  answers: DecodedRecord[];
  authorities: DecodedRecord[];
  additionals: DecodedRecord[];
  questions: dnsPacket.Question[];
};
export type MessageToEncode = dnsPacket.Packet;

// dns-packet reads through Node-style byte-array methods; borrow that class from one of its own outputs
// so this file names no runtime global.
type NodeBytes = Uint8Array & { readUInt16BE(offset: number): number };
type NodeBytesClass = { from(buf: ArrayBufferLike, offset: number, length: number): NodeBytes };
let bytesClass: NodeBytesClass | undefined;
function asNodeBytes(bytes: Uint8Array): NodeBytes {
  bytesClass ??= (dnsPacket.encode({ questions: [] }) as unknown as { constructor: NodeBytesClass })
    .constructor;
  return bytesClass.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decodes a whole message; undefined when it does not parse. */
export function decodeMessage(bytes: Uint8Array): DecodedMessage | undefined {
  try {
    return dnsPacket.decode(asNodeBytes(bytes) as never) as unknown as DecodedMessage;
  } catch {
    return undefined;
  }
}

/**
 * Encodes a whole message with name compression. Returns a plain Uint8Array (dns-packet
 * gives a Node byte array, whose `slice()` would be a view rather than a copy).
 */
export function encodeMessage(message: MessageToEncode): Uint8Array {
  const buf = dnsPacket.encode(message);
  return new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}
