/**
 * Wires one Mesos-DNS process: the refresh loop (leader detection, state fetch, record
 * generation), the DNS server (in-domain resolver and forwarder) and the HTTP API.
 *
 * Unlike upstream, the listeners open at once: until the first state loads, in-domain
 * queries get SERVFAIL and `/ready` says why, while forwarding already works.
 *
 * @module
 */

import type { Config } from "./config/config.ts";
import { qtypeName, RCODE_NAMES } from "./dns/codec.ts";
import { createDnsHandler } from "./dns/dns-handler.ts";
import { type DnsServer, startDnsServer } from "./dns/dns-server.ts";
import { createForwarder } from "./forward/forwarder.ts";
import { createHttpApi } from "./http/http-api.ts";
import { errorMessage } from "./log/log-text.ts";
import type { Logger } from "./log/logger.ts";
import type { MasterDetector } from "./mesos/master-detector.ts";
import { createAppMetrics } from "./metrics/app-metrics.ts";
import { MetricsRegistry } from "./metrics/metrics.ts";
import type { HttpServer, Platform } from "./platform.ts";
import { createDomainAnswerer } from "./records/domain-answerer.ts";
import { SnapshotStore } from "./records/snapshot.ts";
import { EventFollower } from "./refresh/event-follower.ts";
import { Refresher } from "./refresh/refresher.ts";

export type { Logger } from "./log/logger.ts";

export interface AppOptions {
  readonly platform: Platform;
  readonly config: Config;
  readonly version: string;
  readonly log: Logger;
  readonly detector: MasterDetector;
  /** Called when the process must end (zkDetectionTimeout, docs/spec.md §3.3). */
  readonly onFatal: (message: string) => void;
}

export interface App {
  readonly store: SnapshotStore;
  readonly dns: DnsServer | undefined;
  readonly http: HttpServer | undefined;
  readonly refresher: Refresher;
  stop(): Promise<void>;
}

/**
 * Errors that a client can provoke once per query are logged at most once per minute,
 * with a count of those left out, so that no client can flood the log.
 */
function rateLimitedLog(log: Logger, now: () => number, windowMs = 60_000) {
  let windowStart = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return {
    report(message: string): void {
      const t = now();
      if (t - windowStart < windowMs) {
        suppressed++;
        return;
      }
      const note = suppressed > 0 ? ` (${suppressed} more in the last minute not logged)` : "";
      windowStart = t;
      suppressed = 0;
      log.error(`${message}${note}`);
    },
  };
}

function describeError(error: unknown): string {
  return errorMessage(error);
}

export async function startApp(options: AppOptions): Promise<App> {
  const { platform, config, log } = options;
  const store = new SnapshotStore();
  const registry = new MetricsRegistry();
  const now = () => Date.now();
  const follower = config.EventStreamOn
    ? new EventFollower({
        platform,
        config,
        store,
        log,
        now,
        observer: {
          message: (type) => metrics.streamMessage(type),
          down: (kind) => metrics.streamDown(kind),
          badInput: (kind) => metrics.streamBadInput(kind),
          differences: (count) => metrics.reconcileDifferences(count),
        },
      })
    : undefined;
  const metrics = createAppMetrics(registry, {
    snapshot: () => store.current(),
    now,
    ...(follower
      ? { stream: () => ({ connected: follower.source === "events", lastEventMs: follower.lastEventMs }) }
      : {}),
  });
  const errorLog = rateLimitedLog(log, now);

  const forwarder = createForwarder({
    platform,
    config,
    observer: {
      attempt: (resolver, outcome, seconds) => {
        metrics.forwardResult(resolver, outcome === "refused" ? "error" : outcome);
        if (outcome === "ok") metrics.forwardLatency(resolver, seconds);
      },
      cache: (hit) => (hit ? metrics.cacheHit() : metrics.cacheMiss()),
      rejected: () => metrics.inFlightRejected(),
    },
  });
  const handler = createDnsHandler({
    config,
    store,
    answerer: createDomainAnswerer(config),
    forwarder,
    observer: {
      query: (zone, qtype, rcode) =>
        metrics.dnsQuery(zone, qtypeName(qtype), RCODE_NAMES[rcode] ?? `RCODE${rcode}`),
      dropped: (reason) => metrics.droppedPacket(reason),
      internalError: (error) => {
        metrics.internalError("dns");
        errorLog.report(`Internal error while answering a query: ${describeError(error)}`);
      },
    },
  });

  let dns: DnsServer | undefined;
  let http: HttpServer | undefined;
  try {
    if (config.DnsOn) {
      dns = await startDnsServer({
        platform,
        address: config.Listener,
        port: config.Port,
        handler,
        onError: (error) => log.error(`DNS reply failed: ${describeError(error)}`),
      });
      log.info(`DNS listening on ${config.Listener}:${dns.udp.port} (UDP and TCP)`);
    }
    if (config.HttpOn) {
      const api = createHttpApi({
        config,
        version: options.version,
        snapshot: () => store.current(),
        metrics: registry,
        now,
        ...(follower ? { source: () => follower.source } : {}),
        onInternalError: (error, path) => {
          metrics.internalError("http");
          errorLog.report(`Internal error while serving ${JSON.stringify(path)}: ${describeError(error)}`);
        },
      });
      http = await platform.serveHttp({ address: config.HTTPListener, port: config.HttpPort, fetch: api });
      log.info(`HTTP API listening on http://${config.HTTPListener}:${http.local.port}`);
    }
  } catch (error) {
    await dns?.close();
    await forwarder.close();
    throw error;
  }

  const refresher = new Refresher({
    platform,
    config,
    detector: options.detector,
    store,
    log,
    ...(follower ? { follower } : {}),
    onFatal: options.onFatal,
    onRefresh: (result) => {
      metrics.refresh(result.ok, result.durationMs / 1000);
      const records = store.current()?.records;
      const counts = records
        ? `; ${records.a.size} A, ${records.aaaa.size} AAAA, ${records.srv.size} SRV names`
        : "";
      log.debug(
        `Refresh ${result.ok ? "succeeded" : "failed"} in ${Math.round(result.durationMs)} ms${counts}`,
      );
    },
  });
  refresher.start();

  return {
    store,
    dns,
    http,
    refresher,
    async stop() {
      await refresher.stop();
      await Promise.allSettled([dns?.close(), http?.close(), forwarder.close()]);
    },
  };
}
