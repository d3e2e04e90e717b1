/**
 * Per-snapshot lookup structures for answering inside the domain: which names exist,
 * which are empty non-terminals (RFC 8020), and a cache of prepared answers.
 * Built lazily on first use and dropped with the snapshot.
 *
 * @module
 */
import type { RecordSet } from "./record-set.ts";

/** Prepared sections for one (name, kind of query). */
export interface PreparedAnswer {
  readonly rcode: number;
  readonly answers: readonly Uint8Array[];
  readonly authority: readonly Uint8Array[];
  readonly additional: readonly Uint8Array[];
}

export class DomainIndex {
  readonly records: RecordSet;
  readonly serial: number;
  /** The domain, lower case, no trailing dot. */
  readonly domain: string;
  #ancestors: { has(name: string): boolean } | undefined;
  /** Bytes the domain takes in a name on the wire, without the root byte. */
  readonly domainWireLength: number;
  readonly #prepared = new Map<string, PreparedAnswer>();
  readonly #negatives = new Map<number, PreparedAnswer>();

  constructor(records: RecordSet, serial: number, domain: string) {
    this.records = records;
    this.serial = serial;
    this.domain = domain;
    this.domainWireLength = domain.length + 1;
  }

  /**
   * The negative answer (NXDOMAIN or NODATA with the apex SOA) for questions whose apex
   * sits at `apexOffset`; built once per offset, since the SOA bytes depend only on it.
   */
  negative(rcode: number, apexOffset: number, soa: () => Uint8Array): PreparedAnswer {
    const key = apexOffset * 16 + rcode;
    let answer = this.#negatives.get(key);
    if (!answer) {
      answer = { rcode, answers: [], authority: [soa()], additional: [] };
      this.#negatives.set(key, answer);
    }
    return answer;
  }

  /** True when `fqdn` (lower case, trailing dot) holds any A, AAAA or SRV value. */
  hasName(fqdn: string): boolean {
    return this.records.a.has(fqdn) || this.records.aaaa.has(fqdn) || this.records.srv.has(fqdn);
  }

  /** True when `fqdn` has no records of its own but some name below it does. */
  isEmptyNonTerminal(fqdn: string): boolean {
    this.#ancestors ??= this.records.ancestors ?? buildAncestors(this.records);
    return this.#ancestors.has(fqdn);
  }

  get preparedCount(): number {
    return this.#prepared.size;
  }

  getPrepared(key: string): PreparedAnswer | undefined {
    return this.#prepared.get(key);
  }

  setPrepared(key: string, answer: PreparedAnswer): void {
    this.#prepared.set(key, answer);
  }
}

/** Every proper ancestor of every owner name (stopping at the root). */
function buildAncestors(records: RecordSet): Set<string> {
  const out = new Set<string>();
  for (const map of [records.a, records.aaaa, records.srv]) {
    for (const name of map.keys()) {
      let dot = name.indexOf(".");
      while (dot >= 0 && dot < name.length - 1) {
        const parent = name.slice(dot + 1);
        if (out.has(parent)) break;
        out.add(parent);
        dot = name.indexOf(".", dot + 1);
      }
    }
  }
  return out;
}
