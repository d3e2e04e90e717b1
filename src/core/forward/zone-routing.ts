/**
 * Which resolvers a forwarded query goes to (docs/spec.md §6.3, 6.6): the zone resolvers of the
 * longest configured zone that contains the name, else the default resolvers. Zones match
 * case-insensitively (an improvement on upstream, docs/spec.md §10 #10); DS queries always go to the
 * default resolvers; zone resolvers never fall back to the defaults.
 *
 * @module
 */

import type { Config } from "../config/config.ts";
import { QTYPE } from "../dns/codec.ts";
import { canonicalIp, joinHostPort, parseIp, parsePort, splitHostPort } from "../net/ip.ts";

/** One resolver address. */
export interface Upstream {
  /** Canonical IP text, without brackets. */
  readonly address: string;
  readonly port: number;
  readonly family: 4 | 6;
  /** `address:port` (`[v6]:port`): the resolver's name in metrics and health. */
  readonly label: string;
}

/** The resolvers for each query. */
export interface ZoneRouting {
  /** Resolvers for a name (lower case, no trailing dot) and type, in configured order; empty = REFUSED. */
  route(lowerName: string, qtype: number): readonly Upstream[];
  /** Every distinct resolver configured. */
  readonly all: readonly Upstream[];
}

/**
 * Parses `ip`, `ip:port`, `[v6]:port`, `[v6]` or a bare IPv6 address; port 53 when none.
 * Undefined for anything else (hostnames are rejected by config validation already).
 */
export function parseUpstream(text: string): Upstream | undefined {
  const trimmed = text.trim();
  let host = trimmed;
  let port = 53;
  if (trimmed.startsWith("[") && trimmed.endsWith("]")) host = trimmed.slice(1, -1);
  else if (!parseIp(trimmed)) {
    const split = splitHostPort(trimmed);
    if (!split) return undefined;
    const parsed = parsePort(split.port);
    if (parsed === undefined) return undefined;
    host = split.host;
    port = parsed;
  }
  const ip = parseIp(host);
  const address = canonicalIp(host);
  if (!ip || address === undefined) return undefined;
  return { address, port, family: ip.family, label: joinHostPort(address, port) };
}

/** Builds the routing table from the configuration; `warn` is told once about each unusable address. */
export function createZoneRouting(config: Config, warn: (message: string) => void): ZoneRouting {
  const known = new Map<string, Upstream>();
  const parseList = (list: readonly string[] | null, where: string): Upstream[] => {
    const out: Upstream[] = [];
    for (const text of list ?? []) {
      const up = parseUpstream(text);
      if (!up) {
        warn(`Ignoring resolver "${text}" in ${where}: not an IP address with an optional port`);
        continue;
      }
      const shared = known.get(up.label) ?? up;
      known.set(up.label, shared);
      out.push(shared);
    }
    return out;
  };
  if (!config.ExternalOn) return { route: () => [], all: [] };
  const defaults = parseList(config.Resolvers, "resolvers");
  const zones = new Map<string, Upstream[]>();
  for (const [zone, list] of Object.entries(config.ZoneResolvers)) {
    const key = normaliseZone(zone);
    const parsed = parseList(list, `zoneResolvers["${zone}"]`);
    // Two spellings of one zone: keep the resolvers of both, in configured order.
    zones.set(key, [...(zones.get(key) ?? []), ...parsed]);
  }
  const all = [...known.values()];
  if (zones.size === 0) return { route: () => defaults, all };
  return {
    all,
    route(lowerName, qtype) {
      if (qtype === QTYPE.DS) return defaults;
      // Longest match first: try the name itself, then each parent towards the root.
      let name = lowerName;
      for (;;) {
        const hit = zones.get(name);
        if (hit) return hit;
        if (name === "") return defaults;
        const dot = name.indexOf(".");
        name = dot < 0 ? "" : name.slice(dot + 1);
      }
    },
  };
}

/** Zone keys compare like query names: ASCII lower case, no trailing dot ("" is the root). */
function normaliseZone(zone: string): string {
  let out = zone.trim().toLowerCase();
  while (out.endsWith(".")) out = out.slice(0, -1);
  return out;
}
