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
const LINEAR_LIMIT = 32;

export class RecordStore {
  readonly #maps: Record<RecordType, Map<string, string[]>> = {
    A: new Map(),
    AAAA: new Map(),
    SRV: new Map(),
  };
  /** Index sets of the lists that grew past LINEAR_LIMIT and were searched. */
  readonly #index = new Map<string[], Set<string>>();
  readonly #targets = new Set<string>();
  /** One-value lists held by several names, by value; see {@link insertShared}. */
  readonly #sharedByValue = new Map<string, string[]>();
  readonly #shared = new Set<string[]>();
  /** The last name that {@link insertShared} created, unknown before in both A and AAAA. */
  created = "";

  /** Inserts `value` under `name`; false (no change) when empty or already present. */
  insert(type: RecordType, name: string, value: string): boolean {
    if (value === "") return false;
    if (type === "SRV") this.#targets.add(value.slice(0, value.lastIndexOf(":")));
    const map = this.#maps[type];
    const values = map.get(name);
    if (values === undefined) {
      map.set(name, [value]);
      return true;
    }
    return this.push(this.#own(map, name, values), value);
  }

  /**
   * {@link insert}, except that a new name gets a list shared with every other name that was
   * given `value` this way (copied before it is changed). Why: each task's canonical names
   * usually hold just its agent's IP; one list per agent IP instead of one per name saves
   * 100k arrays for 100k tasks.
   */
  insertShared(type: RecordType, name: string, value: string): boolean {
    if (value === "") return false;
    const map = this.#maps[type];
    const values = map.get(name);
    if (values === undefined) {
      const other = type === "A" ? this.#maps.AAAA : type === "AAAA" ? this.#maps.A : undefined;
      if (other && (other.size === 0 || !other.has(name))) this.created = name;
      let shared = this.#sharedByValue.get(value);
      if (shared === undefined) {
        shared = [value];
        this.#sharedByValue.set(value, shared);
        this.#shared.add(shared);
      }
      map.set(name, shared);
      return true;
    }
    return this.push(this.#own(map, name, values), value);
  }

  /** `values` itself, or a copy put in its place when the list is shared. */
  #own(map: Map<string, string[]>, name: string, values: string[]): string[] {
    if (this.#shared.size === 0 || !this.#shared.has(values)) return values;
    const copy = values.slice();
    map.set(name, copy);
    return copy;
  }

  /**
   * The value list of `name`, created empty when absent, for several {@link push} calls with
   * one lookup. Only ask for a slot that will receive a value: an empty list stays in the map.
   */
  slot(type: RecordType, name: string): string[] {
    const map = this.#maps[type];
    const values = map.get(name);
    if (values === undefined) {
      const created: string[] = [];
      map.set(name, created);
      return created;
    }
    return this.#own(map, name, values);
  }

  /** Adds `value` (non-empty) to a list from {@link slot}; false when already present. */
  push(values: string[], value: string): boolean {
    if (values.length < LINEAR_LIMIT) {
      for (let i = 0; i < values.length; i++) if (values[i] === value) return false;
      values.push(value);
      return true;
    }
    let index = this.#index.get(values);
    if (index === undefined) {
      index = new Set(values);
      this.#index.set(values, index);
    }
    const size = index.size;
    index.add(value);
    if (index.size === size) return false;
    values.push(value);
    return true;
  }

  /**
   * Adds `value` to a list from {@link slot} without looking for it: the caller knows it is
   * not there (see {@link claimTarget}). Keeps the list's index, if it has one, complete.
   */
  append(values: string[], value: string): void {
    values.push(value);
    if (this.#index.size !== 0 && values.length > LINEAR_LIMIT) this.#index.get(values)?.add(value);
  }

  /**
   * Registers `target` as the target of SRV values (`target:port`). Every SRV value's target
   * must be registered, here, by {@link insert}, or by {@link isFreshTarget}.
   */
  claimTarget(target: string): void {
    this.#targets.add(target);
  }

  /**
   * True when `target` is {@link created} (set to "" before) and not registered: then no SRV
   * list holds a value for it, and its values can be {@link append}ed. Why: most task
   * targets are new, and checking each of them against the lists that every instance of an
   * app shares took most of the generation time.
   *
   * Sound because a target is either registered or an A/AAAA name made by the pass that
   * first used it as a target; such a name exists before any value naming it as target.
   */
  isFreshTarget(target: string): boolean {
    return this.created === target && (this.#targets.size === 0 || !this.#targets.has(target));
  }

  /** The finished record set; the store must not be used afterwards. */
  build(enumeration: Enumeration, warnings: readonly string[]): RecordSet {
    this.#index.clear();
    this.#targets.clear();
    this.#sharedByValue.clear();
    this.#shared.clear();
    return { a: this.#maps.A, aaaa: this.#maps.AAAA, srv: this.#maps.SRV, enumeration, warnings };
  }
}
