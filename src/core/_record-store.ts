/**
 * A compact record store with {@link RecordSetBuilder}'s semantics (set union per name,
 * `insert` true only when new) whose maps become the {@link RecordSet} as they are.
 *
 * Why not `RecordSetBuilder`: it keeps a `Set` per owner name and copies every one into an
 * array in `build()`. With 100k tasks that is ~230k sets plus a full second copy at the peak;
 * here most names hold one or two values, kept in a plain array searched linearly, with a
 * `Set` index added only once a name collects many values.
 *
 * @module
 */

import type { Enumeration, RecordSet, RecordType } from "./record-set.ts";

/** Values per name searched linearly before an index set is built. */
const LINEAR_LIMIT = 16;

export class RecordStore {
  readonly #maps: Record<RecordType, Map<string, string[]>> = {
    A: new Map(),
    AAAA: new Map(),
    SRV: new Map(),
  };
  readonly #index = new Map<string[], Set<string>>();

  /** Inserts `value` under `name`; false (no change) when empty or already present. */
  insert(type: RecordType, name: string, value: string): boolean {
    if (value === "") return false;
    const map = this.#maps[type];
    const values = map.get(name);
    if (values === undefined) {
      map.set(name, [value]);
      return true;
    }
    return this.push(values, value);
  }

  /**
   * The value list of `name`, created empty when absent, for several {@link push} calls with
   * one lookup. Only ask for a slot that will receive a value: an empty list stays in the map.
   */
  slot(type: RecordType, name: string): string[] {
    const map = this.#maps[type];
    let values = map.get(name);
    if (values === undefined) {
      values = [];
      map.set(name, values);
    }
    return values;
  }

  /** Adds `value` (non-empty) to a list from {@link slot}; false when already present. */
  push(values: string[], value: string): boolean {
    if (values.length < LINEAR_LIMIT) {
      for (let i = 0; i < values.length; i++) if (values[i] === value) return false;
      values.push(value);
      if (values.length === LINEAR_LIMIT) this.#index.set(values, new Set(values));
      return true;
    }
    const index = this.#index.get(values)!;
    if (index.has(value)) return false;
    index.add(value);
    values.push(value);
    return true;
  }

  /** The finished record set; the store must not be used afterwards. */
  build(enumeration: Enumeration, warnings: readonly string[]): RecordSet {
    this.#index.clear();
    return { a: this.#maps.A, aaaa: this.#maps.AAAA, srv: this.#maps.SRV, enumeration, warnings };
  }
}
