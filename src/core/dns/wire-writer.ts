/**
 * Encodes resource records for replies whose question sits at offset 12. Names are
 * compressed only against suffixes of the question name, so each record's bytes are
 * independent of where it lands in the reply: answers can be prepared once, shuffled
 * by concatenating them in another order, and truncated by taking the first k
 * (PERFORMANCE.md, techniques 2 and 3).
 *
 * @module
 */
import { parseIpv4, parseIpv6 } from "../net/ip.ts";

const encoder = new TextEncoder();

/** Labels of a lower-case name without trailing dot ("" is the root: no labels). */
export function nameLabels(name: string): string[] {
  const trimmed = name.endsWith(".") ? name.slice(0, -1) : name;
  return trimmed === "" ? [] : trimmed.split(".");
}

/** The question name's labels and the reply offset of each suffix (label i onwards). */
export interface QuestionShape {
  readonly labels: readonly string[];
  readonly offsets: readonly number[];
}

export function questionShape(lowerName: string): QuestionShape {
  const labels = nameLabels(lowerName);
  const offsets: number[] = [];
  let offset = 12;
  for (const label of labels) {
    offsets.push(offset);
    // codec.ts writes unusual label bytes as \DDD: four characters for one byte.
    offset += label.length - 3 * countBackslashes(label) + 1;
  }
  return { labels, offsets };
}

function countBackslashes(label: string): number {
  let n = 0;
  for (let i = 0; i < label.length; i++) if (label.charCodeAt(i) === 92) n++;
  return n;
}

/** Encodes `name` (lower case), ending in a pointer to the longest suffix shared with the question. */
export function encodeName(name: string, q: QuestionShape): Uint8Array {
  const labels = nameLabels(name);
  // Find the longest common suffix (in labels) between name and question.
  let common = 0;
  while (
    common < labels.length &&
    common < q.labels.length &&
    labels[labels.length - 1 - common] === q.labels[q.labels.length - 1 - common]
  ) {
    common++;
  }
  const prefix = labels.slice(0, labels.length - common);
  const parts: Uint8Array[] = prefix.map((l) => encoder.encode(l));
  let size = 0;
  for (const p of parts) size += p.length + 1;
  size += common > 0 ? 2 : 1;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out[at++] = p.length;
    out.set(p, at);
    at += p.length;
  }
  if (common > 0) {
    const pointer = q.offsets[q.labels.length - common]!;
    out[at++] = 0xc0 | (pointer >> 8);
    out[at++] = pointer & 0xff;
  } else {
    out[at++] = 0;
  }
  return out;
}

/** A pointer to the question name itself (owner of most answers). */
export const QUESTION_POINTER = Uint8Array.of(0xc0, 12);

/** One resource record: owner bytes, type, class IN, TTL, rdata. */
export function encodeRecord(owner: Uint8Array, type: number, ttl: number, rdata: Uint8Array): Uint8Array {
  const out = new Uint8Array(owner.length + 10 + rdata.length);
  out.set(owner, 0);
  let at = owner.length;
  out[at++] = type >> 8;
  out[at++] = type & 0xff;
  out[at++] = 0;
  out[at++] = 1; // class IN
  out[at++] = (ttl >>> 24) & 0xff;
  out[at++] = (ttl >>> 16) & 0xff;
  out[at++] = (ttl >>> 8) & 0xff;
  out[at++] = ttl & 0xff;
  out[at++] = rdata.length >> 8;
  out[at++] = rdata.length & 0xff;
  out.set(rdata, at);
  return out;
}

export function ipv4Rdata(text: string): Uint8Array | undefined {
  return parseIpv4(text);
}

export function ipv6Rdata(text: string): Uint8Array | undefined {
  return parseIpv6(text);
}

export function srvRdata(weight: number, port: number, target: Uint8Array): Uint8Array {
  const out = new Uint8Array(6 + target.length);
  out[2] = weight >> 8;
  out[3] = weight & 0xff;
  out[4] = port >> 8;
  out[5] = port & 0xff;
  out.set(target, 6);
  return out;
}

/** SOA fields after the two names, in order: serial, refresh, retry, expire, minimum. */
export function soaRdata(mname: Uint8Array, rname: Uint8Array, numbers: readonly number[]): Uint8Array {
  const out = new Uint8Array(mname.length + rname.length + 20);
  out.set(mname, 0);
  out.set(rname, mname.length);
  let at = mname.length + rname.length;
  for (const n of numbers) {
    out[at++] = (n >>> 24) & 0xff;
    out[at++] = (n >>> 16) & 0xff;
    out[at++] = (n >>> 8) & 0xff;
    out[at++] = n & 0xff;
  }
  return out;
}
