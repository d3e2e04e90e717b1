/**
 * The ordered masters list (docs/spec.md §3.1): the first slot is the believed leader
 * (`host:port`, or "" when unknown), the rest are fallback masters. State is fetched
 * from it (docs/spec.md §3.4) and the master records are built from it (docs/spec.md §5.7).
 *
 * Every function returns a new frozen array; lists are never mutated in place.
 *
 * @module
 */

/** An ordered masters list; index 0 is the leader slot. */
export type MastersList = readonly string[];

/** The list before any detection event: `["", ...configured]`. */
export function initialMasters(configured: readonly string[] | null): MastersList {
  return Object.freeze(["", ...(configured ?? [])]);
}

/**
 * The static list (no ZooKeeper): exactly the configured masters, so the first one
 * occupies the leader slot (docs/spec.md §3.1).
 */
export function staticMasters(configured: readonly string[] | null): MastersList {
  return Object.freeze([...(configured ?? [])]);
}

/**
 * A new leader (or "" for "no leader"): `[leader] + previous fallbacks minus the leader`
 * (docs/spec.md §3.3, upstream `ordered`).
 */
export function withLeader(list: MastersList, leader: string): MastersList {
  return ordered(leader, list.slice(1));
}

/**
 * The leader became unknown (ZooKeeper session lost): `["", ...fallbacks]` where, unlike
 * upstream (which drops it), the previous leader stays first among the fallbacks (it had
 * the lowest sequence number), so state keeps loading while ZooKeeper is away even when it
 * was the only known master.
 */
export function withoutLeader(list: MastersList): MastersList {
  return ordered("", [...new Set(list.filter((m) => m !== ""))]);
}

/** A master registered in ZooKeeper: its address and its node's sequence number. */
export interface MasterMember {
  /** `host:port` (IPv6 bracketed). */
  readonly address: string;
  /** The `<n>` of its `json.info_<n>` (or `info_<n>`) node. */
  readonly sequence: number;
}

/**
 * A new membership: `[current leader] + members minus the leader`, the members in the order
 * of their ZooKeeper sequence numbers (the order they registered in, so `master0` is the
 * oldest member and `masterN` numbering is stable between events; upstream's order is
 * arbitrary, docs/spec.md §10 #34). Empty addresses are dropped; an address listed twice keeps its
 * lowest sequence number.
 */
export function withMembers(list: MastersList, members: readonly MasterMember[]): MastersList {
  const sorted = members
    .filter((m) => m.address !== "")
    .sort((a, b) => a.sequence - b.sequence || compareText(a.address, b.address));
  return ordered(list[0] ?? "", [...new Set(sorted.map((m) => m.address))]);
}

/** The believed leader, or "" when unknown. */
export function leaderOf(list: MastersList): string {
  return list[0] ?? "";
}

/** True when both lists hold the same entries in the same order. */
export function sameMasters(a: MastersList, b: MastersList): boolean {
  return a.length === b.length && a.every((m, i) => m === b[i]);
}

function ordered(leader: string, rest: readonly string[]): MastersList {
  return Object.freeze([leader, ...rest.filter((m) => m !== leader)]);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
