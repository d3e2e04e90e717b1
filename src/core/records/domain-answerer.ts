/**
 * Answers queries for names inside the domain (docs/spec.md §6.4) from a snapshot, with the
 * deliberate improvements listed in the conformance README (EDNS echo, apex SOA in
 * negative answers, real SOA/NS answers at the apex, RFC 8020 empty non-terminals,
 * ANY without duplicates, DS answered locally).
 *
 * @module
 */

import type { Config } from "../config/config.ts";
import type { ParsedQuery } from "../dns/codec.ts";
import { QTYPE, RCODE } from "../dns/codec.ts";
import { answerSections } from "./_answer-sections.ts";
import type { PreparedAnswer } from "./domain-index.ts";
import { DomainIndex } from "./domain-index.ts";
import { assembleReply } from "./reply-assembler.ts";
import type { Snapshot } from "./snapshot.ts";

/** Kinds of query with distinct answers; every other type shares "other" (NODATA or NXDOMAIN). */
function queryKind(qtype: number): string {
  switch (qtype) {
    case QTYPE.A:
      return "A";
    case QTYPE.AAAA:
      return "AAAA";
    case QTYPE.SRV:
      return "SRV";
    case QTYPE.SOA:
      return "SOA";
    case QTYPE.NS:
      return "NS";
    case QTYPE.ANY:
      return "ANY";
    default:
      return "other";
  }
}

export interface DomainAnswerer {
  /**
   * The reply to `query` (already known to be inside the domain) from `snapshot`.
   * `limit` is the size the reply must stay below (512, the client's EDNS size, or 65535).
   */
  answer(query: Uint8Array, parsed: ParsedQuery, snapshot: Snapshot, limit: number): Uint8Array;
  /** How many prepared answers are kept for `snapshot` (bounded by the names it holds). */
  preparedCount(snapshot: Snapshot): number;
}

/** Creates the domain answerer for `config`; it keeps one index per snapshot. */
export function createDomainAnswerer(config: Config, random: () => number = Math.random): DomainAnswerer {
  const indexes = new WeakMap<Snapshot, DomainIndex>();
  const domain = config.Domain;

  function indexFor(snapshot: Snapshot): DomainIndex {
    let index = indexes.get(snapshot);
    if (!index) {
      index = new DomainIndex(snapshot.records, snapshot.serial, domain);
      indexes.set(snapshot, index);
    }
    return index;
  }

  return {
    preparedCount: (snapshot) => indexes.get(snapshot)?.preparedCount ?? 0,
    answer(query, parsed, snapshot, limit) {
      const index = indexFor(snapshot);
      const kind = queryKind(parsed.qtype);
      const key = `${kind}:${parsed.lowerName}`;
      let prepared: PreparedAnswer | undefined = index.getPrepared(key);
      if (!prepared) {
        const built = answerSections(index, config, parsed, kind);
        prepared = built.answer;
        // Only names that exist (or the apex, or empty non-terminals), spelled without `.*`, are
        // cached, so random names cannot grow the cache; they are cheap to answer from scratch.
        if (built.cacheable) index.setPrepared(key, prepared);
      }
      return assembleReply({
        query,
        parsed,
        answer: prepared,
        recurse: config.RecurseOn,
        setTruncateBit: config.SetTruncateBit,
        limit,
        random,
      });
    },
  };
}

/** The reply for an in-domain query that arrives before any state has loaded. */
export const NOT_READY_RCODE = RCODE.SERVFAIL;
