/**
 * The forwarder: answers every query the DNS server does not answer itself (docs/spec.md §6.6), by
 * relaying it to the configured resolvers, in order, over the client's transport, and passing
 * the first matching reply through as the resolver sent it, fitted to the client's size limit
 * (docs/spec.md §6.5, with the client's EDNS size honoured: docs/spec.md §10 #1).
 *
 * On top of upstream's behaviour: long-lived sockets with random IDs and strict reply matching,
 * reused TCP connections, an answer cache, a bound on queries in flight, and resolvers that keep
 * failing moved to the end of the order for a while.
 *
 * @module
 */

import type { Config } from "../config/config.ts";
import type { ParsedQuery } from "../dns/codec.ts";
import { errorReply, put16, RCODE, udpLimit } from "../dns/codec.ts";
import type { MessageLayout } from "../dns/message-walk.ts";
import { limitReply } from "../dns/reply-limit.ts";
import { joinHostPort } from "../net/ip.ts";
import type { Platform, SocketAddress } from "../platform.ts";
import { createIdSource } from "./_upstream-exchange.ts";
import { createForwardCache } from "./forward-cache.ts";
import { createTcpUpstreams } from "./tcp-upstream.ts";
import { createUdpUpstreamPool } from "./udp-upstream-pool.ts";
import { createUpstreamHealth } from "./upstream-health.ts";
import type { Upstream } from "./zone-routing.ts";
import { createZoneRouting } from "./zone-routing.ts";

/** What the forwarder reports; every member optional (the app wires them to metrics). */
export interface ForwardObserver {
  /**
   * One attempt at one resolver and how it ended. "spoofed" reports a dropped packet that did
   * not answer anything we asked (wrong source, ID or question), with 0 seconds.
   */
  attempt?(
    resolver: string,
    outcome: "ok" | "timeout" | "error" | "spoofed" | "refused",
    seconds: number,
  ): void;
  /** A cacheable query was looked up in the cache. */
  cache?(hit: boolean): void;
  /** A query was answered SERVFAIL because `ForwardMaxInFlight` queries were already waiting. */
  rejected?(): void;
}

export interface Forwarder {
  /**
   * The reply bytes for the client, always (SERVFAIL/REFUSED on failure): at once for a cache
   * hit or a refusal, else a promise that never rejects.
   */
  forward(query: Uint8Array, parsed: ParsedQuery, transport: "udp" | "tcp"): Uint8Array | Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Counts that show nothing is left behind (for tests and diagnostics). */
export interface ForwarderStats {
  /** Forwarded queries being worked on (cache hits and refusals excluded). */
  readonly inFlight: number;
  /** Upstream queries waiting for a reply, UDP and TCP; each holds one timer. */
  readonly pendingUdp: number;
  readonly pendingTcp: number;
  /** TCP connections to resolvers, open or opening. */
  readonly tcpConnections: number;
  readonly cacheEntries: number;
}

/** The forwarder as created: a {@link Forwarder} that can also report its {@link ForwarderStats}. */
export interface ForwarderWithStats extends Forwarder {
  stats(): ForwarderStats;
}

export interface ForwarderDeps {
  platform: Platform;
  config: Config;
  observer?: ForwardObserver;
  /** Milliseconds clock for cache ages, resolver health and attempt durations (default `Date.now`). */
  now?: () => number;
  /** A [0, 1) source for query IDs, for tests; the default is `crypto.getRandomValues`. */
  random?: () => number;
  /** Told once about each unusable resolver address (default `console.warn`). */
  warn?: (message: string) => void;
}

export function createForwarder(deps: ForwarderDeps): ForwarderWithStats {
  const { platform, config, observer } = deps;
  const now = deps.now ?? Date.now;
  const warn = deps.warn ?? ((message: string) => console.warn(message));
  const routing = createZoneRouting(config, warn);
  const timeoutMs = (config.Timeout > 0 ? config.Timeout : 5) * 1000;
  const maxInFlight = config.ForwardMaxInFlight > 0 ? config.ForwardMaxInFlight : Number.POSITIVE_INFINITY;
  const nextId = createIdSource(deps.random);
  const cache = createForwardCache({ size: config.ForwardCacheSize, maxTtl: config.ForwardCacheMaxTTL, now });
  const health = createUpstreamHealth({ now });
  const byAddress = new Map(routing.all.map((up) => [up.label, up]));
  const onStray = (from: SocketAddress, expected: Upstream | undefined) => {
    // Only configured resolvers are named, so a flood from elsewhere cannot grow the metric's labels.
    const label = expected?.label ?? byAddress.get(joinHostPort(from.address, from.port))?.label ?? "other";
    observer?.attempt?.(label, "spoofed", 0);
  };
  const udp = createUdpUpstreamPool({ platform, nextId, onStray });
  const tcp = createTcpUpstreams({ platform, nextId, onStray });
  const udpKeys = new Map(routing.all.map((up) => [up.label, `udp ${up.label}`]));
  const tcpKeys = new Map(routing.all.map((up) => [up.label, `tcp ${up.label}`]));
  let inFlight = 0;
  let closed = false;

  function finish(reply: Uint8Array, parsed: ParsedQuery, transport: "udp" | "tcp", layout?: MessageLayout) {
    const limit = transport === "tcp" ? 65535 : udpLimit(parsed.edns);
    return limitReply(reply, limit, config.SetTruncateBit, layout);
  }

  async function relay(
    query: Uint8Array,
    parsed: ParsedQuery,
    transport: "udp" | "tcp",
    upstreams: readonly Upstream[],
    key: string | undefined,
  ) {
    const keys = transport === "udp" ? udpKeys : tcpKeys;
    const keyOf = (up: Upstream) => keys.get(up.label) ?? up.label;
    for (const up of health.order(upstreams, keyOf)) {
      if (closed) break;
      const started = now();
      const result =
        transport === "udp"
          ? await udp.exchange(up, query, parsed.questionEnd, timeoutMs)
          : await tcp.exchange(up, query, parsed.questionEnd, timeoutMs);
      observer?.attempt?.(up.label, result.outcome, (now() - started) / 1000);
      if (result.outcome !== "ok") {
        health.failure(keyOf(up));
        continue;
      }
      health.success(keyOf(up));
      const reply = result.reply;
      if (key !== undefined) cache.put(key, reply, result.layout);
      // Restore the client's ID: everything else is relayed as the resolver sent it.
      put16(reply, 0, parsed.id);
      return finish(reply, parsed, transport, result.layout);
    }
    return errorReply(query, parsed, RCODE.SERVFAIL);
  }

  return {
    forward(query, parsed, transport) {
      try {
        if (closed) return errorReply(query, parsed, RCODE.SERVFAIL);
        const upstreams = routing.route(parsed.lowerName, parsed.qtype);
        if (upstreams.length === 0) return errorReply(query, parsed, RCODE.REFUSED);
        const key = cache.key(parsed, query);
        if (key !== undefined) {
          const hit = cache.get(key, query, parsed);
          observer?.cache?.(hit !== undefined);
          if (hit) return finish(hit.bytes, parsed, transport, hit.layout);
        }
        if (inFlight >= maxInFlight) {
          observer?.rejected?.();
          return errorReply(query, parsed, RCODE.SERVFAIL);
        }
        // The adapter may reuse the query's buffer once we wait: keep our own copy.
        const own = new Uint8Array(query);
        inFlight++;
        return relay(own, parsed, transport, upstreams, key).then(
          (reply) => {
            inFlight--;
            return reply;
          },
          () => {
            // A bug must not leave the client without an answer.
            inFlight--;
            return errorReply(own, parsed, RCODE.SERVFAIL);
          },
        );
      } catch {
        return errorReply(query, parsed, RCODE.SERVFAIL);
      }
    },
    async close() {
      closed = true;
      udp.close();
      tcp.close();
      cache.clear();
    },
    stats() {
      return {
        inFlight,
        pendingUdp: udp.pending,
        pendingTcp: tcp.pending,
        tcpConnections: tcp.connections,
        cacheEntries: cache.size,
      };
    },
  };
}
