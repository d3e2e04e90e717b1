/**
 * A record set kept up to date unit by unit (see `unit-records.ts`): each (type, name, value)
 * counts the units that contribute it, so taking a unit's records out removes a value only
 * when no other unit still gives it. Work per change is proportional to the records of the
 * units changed, not to the cluster.
 *
 * The maps are changed in place: the caller applies a batch of changes and publishes a new
 * snapshot in one synchronous step, so no query sees a batch half applied.
 *
 * @module
 */

import type { Enumeration, RecordSet, RecordType } from "./record-set.ts";
import type { UnitRecords } from "./unit-records.ts";

type Maps = Record<RecordType, Map<string, string[]>>;

export class LiveRecords {
  readonly #maps: Maps = { A: new Map(), AAAA: new Map(), SRV: new Map() };
  /**
   * Contributor counts parallel to a name's values, only for names where some value has more
   * than one contributor (most names have one: a task's canonical names).
   */
  readonly #counts: Record<RecordType, Map<string, number[]>> = {
    A: new Map(),
    AAAA: new Map(),
    SRV: new Map(),
  };
  /** Proper ancestors of every (type, name) entry, with how many entries lie below; built on first use. */
  #ancestors: Map<string, number> | undefined;
  /** A removal that found nothing to remove: the counts disagree with the units (a bug). */
  drift = 0;
  /** Names whose values changed since {@link clearTouched}, when tracking. */
  #touched: Set<string> | undefined;

  /** Adds the records of one unit. */
  add(unit: UnitRecords): void {
    this.#each(unit, (type, name, value) => this.#add(type, name, value));
  }

  /** Takes out the records of one unit (exactly what {@link add} was given for it). */
  remove(unit: UnitRecords): void {
    this.#each(unit, (type, name, value) => this.#remove(type, name, value));
  }

  /** Starts (or restarts) recording which names change. */
  trackTouched(): void {
    this.#touched = new Set();
  }

  /** Names changed since {@link trackTouched}; empty when not tracking. */
  touched(): ReadonlySet<string> {
    return this.#touched ?? new Set();
  }

  /** The current records as a {@link RecordSet}; `enumeration` is built by `enumerate` when read. */
  view(enumerate: () => Enumeration): RecordSet {
    let enumeration: Enumeration | undefined;
    const ancestors = { has: (name: string) => this.#ancestorMap().has(name) };
    return {
      a: this.#maps.A,
      aaaa: this.#maps.AAAA,
      srv: this.#maps.SRV,
      get enumeration() {
        enumeration ??= enumerate();
        return enumeration;
      },
      warnings: [],
      ancestors,
    };
  }

  #each(unit: UnitRecords, fn: (type: RecordType, name: string, value: string) => void): void {
    for (const [name, values] of unit.a) for (const v of values) fn("A", name, v);
    for (const [name, values] of unit.aaaa) for (const v of values) fn("AAAA", name, v);
    for (const [name, values] of unit.srv) for (const v of values) fn("SRV", name, v);
  }

  #add(type: RecordType, name: string, value: string): void {
    const map = this.#maps[type];
    const values = map.get(name);
    if (values === undefined) {
      map.set(name, [value]);
      this.#entryCreated(name);
      this.#touched?.add(name);
      return;
    }
    const i = values.indexOf(value);
    if (i < 0) {
      values.push(value);
      this.#counts[type].get(name)?.push(1);
      this.#touched?.add(name);
      return;
    }
    const countsOf = this.#counts[type];
    let counts = countsOf.get(name);
    if (counts === undefined) {
      counts = new Array<number>(values.length).fill(1);
      countsOf.set(name, counts);
    }
    counts[i]!++;
  }

  #remove(type: RecordType, name: string, value: string): void {
    const map = this.#maps[type];
    const values = map.get(name);
    const i = values === undefined ? -1 : values.indexOf(value);
    if (values === undefined || i < 0) {
      this.drift++;
      return;
    }
    const countsOf = this.#counts[type];
    const counts = countsOf.get(name);
    if (counts !== undefined && counts[i]! > 1) {
      counts[i]!--;
      return;
    }
    this.#touched?.add(name);
    if (values.length === 1) {
      map.delete(name);
      countsOf.delete(name);
      this.#entryDeleted(name);
      return;
    }
    values.splice(i, 1);
    counts?.splice(i, 1);
  }

  #ancestorMap(): Map<string, number> {
    if (this.#ancestors === undefined) {
      this.#ancestors = new Map();
      for (const map of Object.values(this.#maps)) for (const name of map.keys()) this.#entryCreated(name);
    }
    return this.#ancestors;
  }

  #entryCreated(name: string): void {
    const ancestors = this.#ancestors;
    if (ancestors === undefined) return;
    for (let dot = name.indexOf("."); dot >= 0 && dot < name.length - 1; dot = name.indexOf(".", dot + 1)) {
      const parent = name.slice(dot + 1);
      ancestors.set(parent, (ancestors.get(parent) ?? 0) + 1);
    }
  }

  #entryDeleted(name: string): void {
    const ancestors = this.#ancestors;
    if (ancestors === undefined) return;
    for (let dot = name.indexOf("."); dot >= 0 && dot < name.length - 1; dot = name.indexOf(".", dot + 1)) {
      const parent = name.slice(dot + 1);
      const n = (ancestors.get(parent) ?? 1) - 1;
      if (n <= 0) ancestors.delete(parent);
      else ancestors.set(parent, n);
    }
  }
}
