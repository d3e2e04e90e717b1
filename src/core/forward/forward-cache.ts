/**
 * The forwarded-answer cache: resolver replies kept as bytes, least recently used evicted
 * first. A hit is the stored reply with the client's ID, RD bit and question spelling, and
 * every TTL lowered by the seconds since it was stored.
 *
 * Bounds: at most `size` entries and `size` KiB of stored replies (`ForwardCacheSize * 1024`
 * bytes), evicting the least recently used entries to stay within both; a reply over
 * 4096 bytes is never stored.
 *
 * What is kept apart or never kept: the key holds the question, the RD, CD and DO bits and
 * whether the query had EDNS (an RD=0 reply may be partial, RFC 1034 4.3.1). A reply is
 * stored only with exactly one question, and without the options of its OPT record: a COOKIE
 * (RFC 7873 5.3) or any other option was meant for the first client only. A query carrying
 * a Client Subnet option (RFC 7871) is not cached at all: its answer was made for one subnet.
 *
 * (lru-cache is not used: its ESM builds import the diagnostics_channel module of Node, which src/core
 * must not reach.)
 *
 * @module
 */

import type { ParsedQuery } from "../dns/codec.ts";
import { FLAG, get16, put16, QTYPE, RCODE } from "../dns/codec.ts";
import type { MessageLayout } from "../dns/message-walk.ts";
import {
  hasEdnsOption,
  readTtl,
  recordTypeOffset,
  ttlOffsets,
  withoutEdnsOptions,
  writeTtl,
} from "../dns/message-walk.ts";

/** Replies larger than this are not cached (bytes). */
export const MAX_CACHED_REPLY = 4096;

/** EDNS Client Subnet (RFC 7871 6). */
const OPTION_ECS = 8;

export interface ForwardCacheOptions {
  /** Most entries kept, and KiB of replies kept; 0 turns the cache off. */
  readonly size: number;
  /** Upper bound on an entry's lifetime, seconds. */
  readonly maxTtl: number;
  /** Milliseconds clock. */
  readonly now: () => number;
}

/** A reply served from the cache, and where its records are. */
export interface CachedReply {
  readonly bytes: Uint8Array;
  readonly layout: MessageLayout;
}

export interface ForwardCache {
  /** The cache key of `query`, or undefined when such a query is never cached. */
  key(parsed: ParsedQuery, query: Uint8Array): string | undefined;
  /** A fresh copy of the stored reply, made out for this query; undefined on a miss or when expired. */
  get(key: string, query: Uint8Array, parsed: ParsedQuery): CachedReply | undefined;
  /**
   * Stores a resolver's reply, without its EDNS options, when it may be cached; returns whether
   * it was. `reply` is not kept nor modified.
   */
  put(key: string, reply: Uint8Array, layout: MessageLayout): boolean;
  readonly size: number;
  /** Bytes of the stored replies. */
  readonly bytes: number;
  clear(): void;
}

interface Entry {
  readonly bytes: Uint8Array;
  readonly layout: MessageLayout;
  readonly ttlAt: number[];
  readonly ttls: number[];
  readonly storedAt: number;
  readonly expiresAt: number;
}

/**
 * How long a reply may be cached, in seconds (0 = not at all). Positive answers: the smallest
 * TTL of the answer and authority records. NXDOMAIN and NODATA: min(SOA TTL, SOA MINIMUM) of
 * the authority SOA (RFC 2308 5), never without one. SERVFAIL, REFUSED, FORMERR, anything but
 * NOERROR/NXDOMAIN, and truncated replies are not cached.
 */
export function cacheTtl(msg: Uint8Array, layout: MessageLayout, maxTtl: number): number {
  const flags = get16(msg, 2);
  const rcode = flags & 0xf;
  if (flags & FLAG.TC || (rcode !== RCODE.NOERROR && rcode !== RCODE.NXDOMAIN)) return 0;
  const starts = layout.recordStarts;
  const an = layout.ancount;
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < an; i++) min = Math.min(min, readTtl(msg, recordTypeOffset(msg, starts[i]!)));
  const negative = rcode === RCODE.NXDOMAIN || an === 0;
  let soa = false;
  for (let i = an; i < an + layout.nscount; i++) {
    const t = recordTypeOffset(msg, starts[i]!);
    const type = get16(msg, t);
    if (type === QTYPE.OPT) continue;
    min = Math.min(min, readTtl(msg, t));
    if (type === QTYPE.SOA && starts[i + 1]! - 4 >= t + 10) {
      soa = true;
      min = Math.min(min, readTtl(msg, starts[i + 1]! - 8));
    }
  }
  if (negative && !soa) return 0;
  if (min === Number.POSITIVE_INFINITY) return 0;
  return Math.max(0, Math.min(min, maxTtl));
}

export function createForwardCache(options: ForwardCacheOptions): ForwardCache {
  const { now, maxTtl } = options;
  const capacity = Math.max(0, Math.floor(options.size));
  const budget = capacity * 1024;
  // A Map iterates in insertion order: re-inserting on every hit makes the first key the least recently used.
  const entries = new Map<string, Entry>();
  let stored = 0;

  function remove(key: string): void {
    const e = entries.get(key);
    if (!e) return;
    entries.delete(key);
    stored -= e.bytes.length;
  }

  return {
    key(parsed, query) {
      if (capacity === 0 || parsed.opcode !== 0 || parsed.qdcount !== 1) return undefined;
      if (parsed.edns && hasEdnsOption(query, OPTION_ECS)) return undefined;
      // The reply depends on DO and CD, on RD (without it the resolver answers from its cache
      // only, perhaps partly), and on whether the query had an OPT at all (a client without
      // EDNS must not be sent an OPT record).
      const bits =
        (parsed.edns ? 1 : 0) |
        (parsed.edns?.dnssecOk ? 2 : 0) |
        (parsed.flags & FLAG.CD ? 4 : 0) |
        (parsed.flags & FLAG.RD ? 8 : 0);
      return `${parsed.lowerName}/${parsed.qtype}/${parsed.qclass}/${bits}`;
    },
    get(key, query, parsed) {
      const e = entries.get(key);
      if (!e) return undefined;
      const t = now();
      if (t >= e.expiresAt) {
        remove(key);
        return undefined;
      }
      entries.delete(key);
      entries.set(key, e);
      const out = new Uint8Array(e.bytes);
      put16(out, 0, parsed.id);
      // RD is copied from the query (RFC 1035 4.1.1); it is the low bit of the third byte.
      out[2] = (out[2]! & 0xfe) | ((parsed.flags >> 8) & 1);
      // Echo the client's spelling of the question (0x20 clients check it); same length by construction.
      out.set(query.subarray(12, parsed.questionEnd - 4), 12);
      const elapsed = Math.floor((t - e.storedAt) / 1000);
      if (elapsed > 0) {
        for (let i = 0; i < e.ttlAt.length; i++)
          writeTtl(out, e.ttlAt[i]!, Math.max(0, e.ttls[i]! - elapsed));
      }
      return { bytes: out, layout: e.layout };
    },
    put(key, reply, layout) {
      // get() writes the client's question over the stored one: exactly one question, always.
      if (capacity === 0 || layout.qdcount !== 1 || reply.length > MAX_CACHED_REPLY) return false;
      const ttl = cacheTtl(reply, layout, maxTtl);
      if (ttl <= 0) return false;
      const stripped = withoutEdnsOptions(reply, layout);
      if (!stripped) return false;
      // new Uint8Array(x) copies even when x is a Node buffer object (whose slice() is a view).
      const bytes = stripped.bytes === reply ? new Uint8Array(reply) : stripped.bytes;
      const ttlAt = ttlOffsets(bytes, stripped.layout);
      const ttls = ttlAt.map((o) => readTtl(bytes, o - 4));
      const storedAt = now();
      remove(key);
      entries.set(key, {
        bytes,
        layout: stripped.layout,
        ttlAt,
        ttls,
        storedAt,
        expiresAt: storedAt + ttl * 1000,
      });
      stored += bytes.length;
      while (entries.size > capacity || stored > budget) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        remove(oldest);
      }
      return entries.has(key);
    },
    get size() {
      return entries.size;
    },
    get bytes() {
      return stored;
    },
    clear() {
      entries.clear();
      stored = 0;
    },
  };
}
