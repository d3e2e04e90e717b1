/**
 * Compares two record sets as DNS sees them (values of a name as a set), for the
 * reconciliation of event-built records against a poll.
 *
 * @module
 */

import type { RecordSet, RecordType } from "./record-set.ts";

export interface RecordDifference {
  /** Names (by type) whose values differ. */
  readonly count: number;
  /** Up to `limit` of them, as `TYPE name`. */
  readonly examples: readonly string[];
}

type Maps = Pick<RecordSet, "a" | "aaaa" | "srv">;

/** The names whose values differ between `a` and `b`, names in `skip` left out. */
export function diffRecords(a: Maps, b: Maps, skip: ReadonlySet<string>, limit = 5): RecordDifference {
  let count = 0;
  const examples: string[] = [];
  const note = (type: RecordType, name: string) => {
    count++;
    if (examples.length < limit) examples.push(`${type} ${name}`);
  };
  const pairs: [
    RecordType,
    ReadonlyMap<string, readonly string[]>,
    ReadonlyMap<string, readonly string[]>,
  ][] = [
    ["A", a.a, b.a],
    ["AAAA", a.aaaa, b.aaaa],
    ["SRV", a.srv, b.srv],
  ];
  for (const [type, mine, theirs] of pairs) {
    for (const [name, values] of mine) {
      if (skip.has(name)) continue;
      const other = theirs.get(name);
      if (other === undefined || !sameValues(values, other)) note(type, name);
    }
    for (const name of theirs.keys()) if (!mine.has(name) && !skip.has(name)) note(type, name);
  }
  return { count, examples };
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 1) return a[0] === b[0];
  const set = new Set(a);
  for (const v of b) if (!set.has(v)) return false;
  return true;
}
