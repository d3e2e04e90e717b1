/**
 * The record store (docs/spec.md §5.1): three maps, A, AAAA and SRV, from a fully qualified
 * owner name (ending in a dot) to a set of string values, plus the enumeration data
 * behind `/v1/enumerate` (docs/spec.md §5.12). Built once per state by `RecordSetBuilder`,
 * then never changed: a refresh builds a new one and swaps it in.
 *
 * @module
 */

export type RecordType = "A" | "AAAA" | "SRV";

/** One record as listed by `/v1/enumerate`. SRV `host` is `target:port`. */
export interface EnumerationRecord {
  readonly name: string;
  readonly host: string;
  readonly rtype: RecordType;
}

export interface EnumerationTask {
  readonly name: string;
  readonly id: string;
  /** `[]` where upstream wrote `null` (docs/spec.md §10 #30, a safe improvement). */
  readonly records: EnumerationRecord[];
}

export interface EnumerationFramework {
  readonly tasks: EnumerationTask[];
  readonly name: string;
}

export interface Enumeration {
  readonly frameworks: EnumerationFramework[];
}

/** An immutable record set with constant-time lookup by name and type. */
export interface RecordSet {
  /** Owner name (lower case, trailing dot) -> IPv4 texts, in insertion order, no duplicates. */
  readonly a: ReadonlyMap<string, readonly string[]>;
  /** Owner name -> IPv6 texts. */
  readonly aaaa: ReadonlyMap<string, readonly string[]>;
  /** Owner name -> `target:port` texts, target fully qualified with a trailing dot. */
  readonly srv: ReadonlyMap<string, readonly string[]>;
  readonly enumeration: Enumeration;
  /** Problems met while generating (skipped entities), one line each. */
  readonly warnings: readonly string[];
  /**
   * Every proper ancestor of every owner name, when the set maintains it (a set updated
   * event by event does); otherwise the answerer builds it on first use.
   */
  readonly ancestors?: { has(name: string): boolean };
}

/** Collects records with set semantics; `build()` freezes them into a {@link RecordSet}. */
export class RecordSetBuilder {
  readonly #maps: Record<RecordType, Map<string, Set<string>>> = {
    A: new Map(),
    AAAA: new Map(),
    SRV: new Map(),
  };

  /**
   * Inserts `value` under `name`. Returns false (and changes nothing) when the value is
   * empty or already present under that name and type, as upstream's insert does.
   */
  insert(type: RecordType, name: string, value: string): boolean {
    if (value === "") return false;
    const map = this.#maps[type];
    const values = map.get(name);
    if (values === undefined) {
      map.set(name, new Set([value]));
      return true;
    }
    if (values.has(value)) return false;
    values.add(value);
    return true;
  }

  /** True when `name` already holds `value` for `type`. */
  has(type: RecordType, name: string, value: string): boolean {
    return this.#maps[type].get(name)?.has(value) ?? false;
  }

  build(enumeration: Enumeration, warnings: readonly string[]): RecordSet {
    return {
      a: freeze(this.#maps.A),
      aaaa: freeze(this.#maps.AAAA),
      srv: freeze(this.#maps.SRV),
      enumeration,
      warnings,
    };
  }
}

function freeze(map: Map<string, Set<string>>): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const [name, values] of map) out.set(name, Array.from(values));
  return out;
}

/** Splits an SRV value `target:port` at its last colon. Returns undefined when malformed. */
export function splitSrvValue(value: string): { target: string; port: number } | undefined {
  const colon = value.lastIndexOf(":");
  if (colon <= 0) return undefined;
  const portText = value.slice(colon + 1);
  if (!/^[0-9]{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  if (port > 65535) return undefined;
  return { target: value.slice(0, colon), port };
}
