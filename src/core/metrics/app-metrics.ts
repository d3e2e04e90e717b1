/**
 * The application's metrics: typed handles the DNS server, forwarder and poller call,
 * registered once in a {@link MetricsRegistry} and exposed by `GET /metrics`. They replace
 * upstream's log-only counters (docs/spec.md §7.3, docs/spec.md §10 #36): NODATA and NXDOMAIN are told apart
 * by `rcode`, and nothing is reset.
 *
 * Handles cache their label children, so a call on the query path does a few map look-ups
 * and allocates nothing. Label values with open-ended input (query types, rcodes) are
 * folded into `OTHER` to keep the number of series bounded.
 *
 * @module
 */

import type { Snapshot } from "../records/snapshot.ts";
import type { CounterChild, HistogramChild, MetricsRegistry } from "./metrics.ts";

/** Query types that get their own series; others count as `OTHER`. Upper-case mnemonics. */
// biome-ignore format: a table reads better than one entry per line
export const KNOWN_QTYPES: ReadonlySet<string> = new Set([
  "A", "AAAA", "SRV", "SOA", "NS", "ANY", "PTR", "MX", "TXT", "CNAME", "DS", "DNSKEY",
  "CAA", "NAPTR", "HTTPS", "SVCB", "AXFR", "IXFR",
]);

/** Response codes that get their own series; others count as `OTHER`. */
// biome-ignore format: a table reads better than one entry per line
export const KNOWN_RCODES: ReadonlySet<string> = new Set([
  "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
]);

/** Buckets for forwarded-query latency, seconds. */
export const FORWARD_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Buckets for state refresh duration, seconds. */
export const REFRESH_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** The handles the rest of the application calls. */
export interface AppMetrics {
  /** `mesos_dns_queries_total{zone,qtype,rcode}`: DNS queries answered, by zone and outcome. */
  dnsQuery(zone: "mesos" | "forwarded", qtype: string, rcode: string): void;
  /** `mesos_dns_forward_duration_seconds{resolver}`: time until an upstream answered. */
  forwardLatency(resolver: string, seconds: number): void;
  /** `mesos_dns_forward_results_total{resolver,outcome}`: one per attempt at one upstream. */
  forwardResult(resolver: string, outcome: "ok" | "timeout" | "error" | "spoofed"): void;
  /** `mesos_dns_forward_cache_total{result="hit"}`. */
  cacheHit(): void;
  /** `mesos_dns_forward_cache_total{result="miss"}`. */
  cacheMiss(): void;
  /**
   * `mesos_dns_state_refresh_total{result="ok"|"error"}` and
   * `mesos_dns_state_refresh_duration_seconds{result}`.
   */
  refresh(ok: boolean, seconds: number): void;
  /** `mesos_dns_internal_errors_total{where}`: bugs caught and answered (SERVFAIL, HTTP 500). */
  internalError(where: string): void;
  /** `mesos_dns_dropped_packets_total{reason}`: packets not handled as queries (short, response: no reply; malformed: bare FORMERR). */
  droppedPacket(reason: string): void;
  /** `mesos_dns_forward_rejected_total`: forwarded queries refused because too many were in flight. */
  inFlightRejected(): void;
  /** `mesos_dns_event_stream_messages_total{type}`: messages on the master's event stream. */
  streamMessage(type: string): void;
  /** `mesos_dns_event_stream_reconnects_total{reason}`: streams that ended and are opened again. */
  streamDown(reason: string): void;
  /** `mesos_dns_event_stream_bad_input_total{kind}`: bad frames, events and unknown entities. */
  streamBadInput(kind: string): void;
  /** `mesos_dns_reconcile_differences_total`: names a poll found different from the event-built records. */
  reconcileDifferences(count: number): void;
}

/** What the stream gauges read at scrape time. */
export interface StreamStatus {
  readonly connected: boolean;
  /** Milliseconds since the epoch of the last message; 0 before any. */
  readonly lastEventMs: number;
}

/**
 * Registers the application's metrics in `registry` and returns their handles. Also
 * registers scrape-time gauges read from `deps.snapshot()`:
 * - `mesos_dns_records{type}`: record values of each type (A, AAAA, SRV) in the current set;
 * - `mesos_dns_state_age_seconds`: seconds since the current state was loaded;
 * - `mesos_dns_state_serial`: the SOA serial of the current state;
 * - `mesos_dns_leader_info{leader}`: 1, labelled with the state's leader;
 * - `mesos_dns_up`: 1 while the process serves.
 * The state gauges have no sample before the first load. `deps.now()` is in milliseconds.
 */
export function createAppMetrics(
  registry: MetricsRegistry,
  deps: { snapshot(): Snapshot | undefined; now(): number; stream?(): StreamStatus | undefined },
): AppMetrics {
  const queries = registry.counter(
    "mesos_dns_queries_total",
    "DNS queries answered, by zone (mesos or forwarded), query type and response code.",
    ["zone", "qtype", "rcode"],
  );
  const forwardDuration = registry.histogram(
    "mesos_dns_forward_duration_seconds",
    "Time until an upstream resolver answered a forwarded query, seconds.",
    FORWARD_BUCKETS,
    ["resolver"],
  );
  const forwardResults = registry.counter(
    "mesos_dns_forward_results_total",
    "Forwarding attempts to one upstream resolver, by outcome (ok, timeout, error, spoofed).",
    ["resolver", "outcome"],
  );
  const cache = registry.counter(
    "mesos_dns_forward_cache_total",
    "Forwarded-answer cache look-ups, by result (hit or miss).",
    ["result"],
  );
  const refreshes = registry.counter(
    "mesos_dns_state_refresh_total",
    "State refreshes from the Mesos master, by result (ok or error).",
    ["result"],
  );
  const refreshDuration = registry.histogram(
    "mesos_dns_state_refresh_duration_seconds",
    "Duration of state refreshes, seconds.",
    REFRESH_BUCKETS,
    ["result"],
  );
  const internal = registry.counter(
    "mesos_dns_internal_errors_total",
    "Internal errors caught and answered (SERVFAIL or HTTP 500), by place.",
    ["where"],
  );
  const dropped = registry.counter(
    "mesos_dns_dropped_packets_total",
    "DNS packets not handled as queries, by reason (short and response: no reply; malformed: FORMERR).",
    ["reason"],
  );
  const rejected = registry.counter(
    "mesos_dns_forward_rejected_total",
    "Forwarded queries answered SERVFAIL because too many were in flight.",
  );
  registerStateGauges(registry, deps);
  const streamMessages = registry.counter(
    "mesos_dns_event_stream_messages_total",
    "Messages received on the master's operator API event stream, by type.",
    ["type"],
  );
  const streamReconnects = registry.counter(
    "mesos_dns_event_stream_reconnects_total",
    "Event streams that ended and are opened again, by reason.",
    ["reason"],
  );
  const streamBad = registry.counter(
    "mesos_dns_event_stream_bad_input_total",
    "Bad input on the event stream (bad frame, bad event, unknown event type or entity), by kind.",
    ["kind"],
  );
  const differences = registry.counter(
    "mesos_dns_reconcile_differences_total",
    "Names whose records differed between the event stream and the poll that reconciled them.",
  );
  if (deps.stream) registerStreamGauges(registry, deps.stream, deps.now);

  const queryChildren = new Map<string, Map<string, Map<string, CounterChild>>>();
  const latencyChildren = new Map<string, HistogramChild>();
  const resultChildren = new Map<string, Map<string, CounterChild>>();
  const hit = cache.labels({ result: "hit" });
  const miss = cache.labels({ result: "miss" });
  const refreshOk = refreshes.labels({ result: "ok" });
  const refreshError = refreshes.labels({ result: "error" });
  const refreshOkDuration = refreshDuration.labels({ result: "ok" });
  const refreshErrorDuration = refreshDuration.labels({ result: "error" });
  const internalChildren = new Map<string, CounterChild>();
  const droppedChildren = new Map<string, CounterChild>();
  const streamChildren = new Map<string, CounterChild>();
  const reconnectChildren = new Map<string, CounterChild>();
  const badChildren = new Map<string, CounterChild>();

  return {
    dnsQuery(zone, qtype, rcode) {
      const q = KNOWN_QTYPES.has(qtype) ? qtype : "OTHER";
      const r = KNOWN_RCODES.has(rcode) ? rcode : "OTHER";
      const byType = cached(queryChildren, zone, () => new Map<string, Map<string, CounterChild>>());
      const byRcode = cached(byType, q, () => new Map<string, CounterChild>());
      cached(byRcode, r, () => queries.labels({ zone, qtype: q, rcode: r })).inc();
    },
    forwardLatency(resolver, seconds) {
      cached(latencyChildren, resolver, () => forwardDuration.labels({ resolver })).observe(seconds);
    },
    forwardResult(resolver, outcome) {
      const byOutcome = cached(resultChildren, resolver, () => new Map<string, CounterChild>());
      cached(byOutcome, outcome, () => forwardResults.labels({ resolver, outcome })).inc();
    },
    cacheHit: () => hit.inc(),
    cacheMiss: () => miss.inc(),
    refresh(ok, seconds) {
      (ok ? refreshOk : refreshError).inc();
      (ok ? refreshOkDuration : refreshErrorDuration).observe(seconds);
    },
    internalError(where) {
      cached(internalChildren, where, () => internal.labels({ where })).inc();
    },
    droppedPacket(reason) {
      cached(droppedChildren, reason, () => dropped.labels({ reason })).inc();
    },
    inFlightRejected: () => rejected.inc(),
    streamMessage(type) {
      cached(streamChildren, type, () => streamMessages.labels({ type })).inc();
    },
    streamDown(reason) {
      cached(reconnectChildren, reason, () => streamReconnects.labels({ reason })).inc();
    },
    streamBadInput(kind) {
      cached(badChildren, kind, () => streamBad.labels({ kind })).inc();
    },
    reconcileDifferences: (count) => differences.inc(undefined, count),
  };
}

function registerStreamGauges(
  registry: MetricsRegistry,
  stream: () => StreamStatus | undefined,
  now: () => number,
): void {
  registry.gaugeFn(
    "mesos_dns_event_stream_connected",
    "1 while the master's event stream is open and live.",
    () => {
      const status = stream();
      return status === undefined ? [] : [{ labels: {}, value: status.connected ? 1 : 0 }];
    },
  );
  registry.gaugeFn(
    "mesos_dns_event_stream_last_message_age_seconds",
    "Seconds since the last message on the event stream.",
    () => {
      const status = stream();
      if (status === undefined || status.lastEventMs === 0) return [];
      return [{ labels: {}, value: Math.max(0, (now() - status.lastEventMs) / 1000) }];
    },
  );
}

function cached<K extends object | string, V>(
  map: { get(key: K): V | undefined; set(key: K, value: V): unknown },
  key: K,
  make: () => V,
): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

function registerStateGauges(
  registry: MetricsRegistry,
  deps: { snapshot(): Snapshot | undefined; now(): number },
): void {
  // Counting values walks the whole set; a snapshot never changes, so count it once.
  const counts = new WeakMap<Snapshot, Array<{ labels: Record<string, string>; value: number }>>();
  registry.gaugeFn("mesos_dns_records", "Record values in the current record set, by type.", () => {
    const snapshot = deps.snapshot();
    if (snapshot === undefined) return [];
    return cached(counts, snapshot, () => {
      const { a, aaaa, srv } = snapshot.records;
      return [
        { labels: { type: "A" }, value: countValues(a) },
        { labels: { type: "AAAA" }, value: countValues(aaaa) },
        { labels: { type: "SRV" }, value: countValues(srv) },
      ];
    });
  });
  registry.gaugeFn("mesos_dns_state_age_seconds", "Seconds since the current state was loaded.", () => {
    const snapshot = deps.snapshot();
    if (snapshot === undefined) return [];
    return [{ labels: {}, value: Math.max(0, (deps.now() - snapshot.loadedAtMs) / 1000) }];
  });
  registry.gaugeFn("mesos_dns_state_serial", "SOA serial of the current state.", () => {
    const snapshot = deps.snapshot();
    return snapshot === undefined ? [] : [{ labels: {}, value: snapshot.serial }];
  });
  registry.gaugeFn("mesos_dns_leader_info", "1, labelled with the leader named by the current state.", () => {
    const snapshot = deps.snapshot();
    return snapshot === undefined ? [] : [{ labels: { leader: snapshot.leader }, value: 1 }];
  });
  registry.gaugeFn("mesos_dns_up", "1 while the process serves.", () => 1);
}

function countValues(map: ReadonlyMap<string, readonly string[]>): number {
  let n = 0;
  for (const values of map.values()) n += values.length;
  return n;
}
