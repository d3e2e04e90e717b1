/**
 * The ordered masters list (SPEC 3.1): the first slot is the believed leader
 * (`host:port`, or "" when unknown), the rest are fallback masters. State is fetched
 * from it (SPEC 3.4) and the master records are built from it (SPEC 5.7).
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
 * occupies the leader slot (SPEC 3.1).
 */
export function staticMasters(configured: readonly string[] | null): MastersList {
  return Object.freeze([...(configured ?? [])]);
}

/**
 * A new leader (or "" for "no leader"): `[leader] + previous fallbacks minus the leader`
 * (SPEC 3.3, upstream `ordered`).
 */
export function withLeader(list: MastersList, leader: string): MastersList {
  return ordered(leader, list.slice(1));
}

/**
 * The leader became unknown (ZooKeeper session lost): `["", ...fallbacks]` where, unlike
 * upstream (which drops it), the previous leader stays among the sorted fallbacks, so
 * state keeps loading while ZooKeeper is away even when it was the only known master.
 */
export function withoutLeader(list: MastersList): MastersList {
  return withMembers([""], list);
}

/**
 * A new membership: `[current leader] + members minus the leader`. Empty addresses are
 * dropped, duplicates removed, and the members sorted so that `masterN` numbering is
 * stable between events (upstream's order is arbitrary, SPEC 10 #34).
 */
export function withMembers(list: MastersList, members: readonly string[]): MastersList {
  const unique = [...new Set(members.filter((m) => m !== ""))].sort(compareHostPort);
  return ordered(list[0] ?? "", unique);
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

/** Orders `ip:port` strings numerically where they are dotted quads, else as text. */
function compareHostPort(a: string, b: string): number {
  const ka = sortKey(a);
  const kb = sortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function sortKey(hostPort: string): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d{1,5})$/.exec(hostPort);
  if (!m) return `~${hostPort}`;
  return m
    .slice(1)
    .map((n) => n.padStart(5, "0"))
    .join(".");
}
