/**
 * Leader detection through ZooKeeper, as Mesos masters register themselves (docs/spec.md §3.3):
 * ephemeral sequential children `json.info_<n>` (or legacy `info_<n>`) under a path; the
 * lowest sequence number is the leader.
 *
 * @module
 */

import { errorMessage, quote } from "../log/log-text.ts";
import type { Logger } from "../log/logger.ts";
import { realTimers, type Timers } from "../time/timers.ts";
import { readMasters } from "./_zk-masters.ts";
import type { MasterDetector } from "./master-detector.ts";
import {
  initialMasters,
  type MastersList,
  sameMasters,
  withLeader,
  withMembers,
  withoutLeader,
} from "./masters-list.ts";
import { type ZkClient, type ZkClientFactory, ZkError, type ZkSessionEvent } from "./zk-client.ts";

export { decodeMasterInfo, selectLeaderNode } from "./_zk-masters.ts";

export interface ZkDetectorOptions {
  /** Comma-separated `host:port` ZooKeeper servers. */
  readonly servers: string;
  /** The znode holding the masters' `info_` children, e.g. `/mesos`. */
  readonly path: string;
  /** `user:pass` for digest auth, "" for none. */
  readonly credentials?: string;
  /** The configured masters: fallbacks until ZooKeeper reports membership. */
  readonly masters: readonly string[] | null;
  readonly createClient: ZkClientFactory;
  readonly log?: Pick<Logger, "warn"> & Partial<Pick<Logger, "info">>;
  /** Session timeout; upstream: 60 s. */
  readonly sessionTimeoutMs?: number;
  /** Re-evaluate at most this often (upstream: once per second). */
  readonly minIntervalMs?: number;
  /** First retry delay after a failed read (the path missing, say); doubles on each failure. */
  readonly retryMs?: number;
  /** The longest retry delay. */
  readonly maxRetryMs?: number;
  /** Without a session for this long, "Cannot reach ZooKeeper" is logged (once per outage). */
  readonly unreachableAfterMs?: number;
  /** Timer functions and clock; injectable so tests drive time by hand. */
  readonly timers?: Timers;
  readonly now?: () => number;
}

/**
 * A detector watching `options.path` in ZooKeeper. Failures are logged once per cause
 * (the first of a streak and each change, never a repeat) and retried with exponential
 * backoff; no session for `unreachableAfterMs` is logged once per outage.
 */
export function zkDetector(options: ZkDetectorOptions): MasterDetector {
  const minIntervalMs = options.minIntervalMs ?? 1000;
  const firstRetryMs = options.retryMs ?? 1000;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  const unreachableAfterMs = options.unreachableAfterMs ?? 5000;
  const timers = options.timers ?? realTimers;
  const now = options.now ?? Date.now;
  const { servers, path, log } = options;
  let list = initialMasters(options.masters);
  let leaderNode = "";
  /** The current session's client and its one watcher (see `connect`). */
  let session: { client: ZkClient; watch: () => void } | undefined;
  let onChange: (masters: MastersList) => void = () => {};
  let stopped = false;
  let running = false;
  let pending = false;
  let lastRunAt = Number.NEGATIVE_INFINITY;
  let timer: unknown;
  let timerDue = Number.POSITIVE_INFINITY;
  let retryMs = firstRetryMs;
  /** The cause last logged in the current failure streak; "" outside a streak. */
  let lastCause = "";
  let problems = new Set<string>();
  let sessionUp = false;
  let unreachableTimer: unknown;
  let unreachableLogged = false;
  // Bumped on every new session so reads and watches from an old one are ignored.
  let generation = 0;

  const emit = (next: MastersList) => {
    if (stopped || sameMasters(next, list)) return;
    list = next;
    onChange(list);
  };

  const connect = () => {
    generation++;
    const mine = generation;
    const client = options.createClient({
      servers,
      sessionTimeoutMs: options.sessionTimeoutMs ?? 60_000,
      credentials: options.credentials ?? "",
    });
    // One watcher function per session: the client library keeps watchers by identity, so
    // re-arming the watch on every evaluation (each reconnect) must not add a listener.
    const watch = () => {
      if (!stopped && mine === generation) schedule(0);
    };
    session = { client, watch };
    client.onSession((event) => {
      if (!stopped && mine === generation) onSession(event);
    });
    armUnreachable();
    client.connect();
  };

  const armUnreachable = () => {
    if (unreachableTimer !== undefined || unreachableLogged || stopped) return;
    unreachableTimer = timers.setTimeout(() => {
      unreachableTimer = undefined;
      if (stopped || sessionUp) return;
      unreachableLogged = true;
      log?.warn(`Cannot reach ZooKeeper at ${servers}; retrying`);
    }, unreachableAfterMs);
  };

  const disarmUnreachable = () => {
    if (unreachableTimer !== undefined) timers.clearTimeout(unreachableTimer);
    unreachableTimer = undefined;
  };

  const onSession = (event: ZkSessionEvent) => {
    if (event === "connected") {
      sessionUp = true;
      disarmUnreachable();
      if (unreachableLogged) log?.info?.(`Connected to ZooKeeper at ${servers}`);
      unreachableLogged = false;
      schedule(0);
      return;
    }
    sessionUp = false;
    armUnreachable();
    // Session or watch lost: the leader is no longer known (docs/spec.md §3.3).
    if (leaderNode !== "") {
      leaderNode = "";
      emit(withoutLeader(list));
    }
    if (event === "expired") {
      void session?.client.close();
      connect();
    }
  };

  /** Evaluates after `delayMs` (and the minimum interval); an earlier request wins. */
  const schedule = (delayMs: number) => {
    if (stopped) return;
    if (running) {
      pending = true;
      return;
    }
    const due = Math.max(now() + delayMs, lastRunAt + minIntervalMs);
    if (timer !== undefined) {
      if (timerDue <= due) return;
      timers.clearTimeout(timer);
    }
    timerDue = due;
    timer = timers.setTimeout(
      () => {
        timer = undefined;
        timerDue = Number.POSITIVE_INFINITY;
        void evaluate();
      },
      Math.max(0, due - now()),
    );
  };

  const failed = (cause: string | undefined) => {
    if (cause === undefined || cause === lastCause) return;
    lastCause = cause;
    log?.warn(cause);
  };

  const succeeded = () => {
    retryMs = firstRetryMs;
    if (lastCause !== "") log?.info?.(`ZooKeeper path ${quote(path)} at ${servers} is readable again`);
    lastCause = "";
  };

  const evaluate = async () => {
    const current = session;
    if (stopped || !current) return;
    running = true;
    lastRunAt = now();
    const mine = generation;
    let retry = false;
    try {
      const children = await current.client.getChildren(path, current.watch);
      if (mine !== generation) return;
      const reading = await readMasters(current.client, children, path, servers);
      if (mine !== generation) return;
      if (reading.kind === "failed") {
        failed(reading.cause);
        retry = true;
      } else if (reading.kind === "stale") {
        retry = true;
      } else {
        logProblems(reading.problems);
        leaderNode = reading.node;
        emit(withMembers(withLeader(list, reading.leader), reading.members));
        succeeded();
      }
    } catch (error) {
      if (mine !== generation) return;
      const code = error instanceof ZkError ? error.code : "OTHER";
      // A closing client is not retried; a lost connection is retried quietly (the
      // "Cannot reach" line covers it) and its session event re-evaluates anyway.
      if (code === "CLOSED") return;
      retry = true;
      if (code === "NO_NODE") {
        // A missing path sets no watch, so it is polled until it appears.
        if (leaderNode !== "") {
          leaderNode = "";
          emit(withoutLeader(list));
        }
        failed(`ZooKeeper path ${quote(path)} does not exist at ${servers}; waiting for masters to register`);
      } else if (code !== "CONNECTION_LOSS" && code !== "SESSION_EXPIRED") {
        failed(`Cannot read ZooKeeper path ${quote(path)} at ${servers}: ${errorMessage(error)}`);
      }
    } finally {
      running = false;
      if (pending) {
        pending = false;
        schedule(0);
      } else if (retry) {
        const wait = retryMs;
        retryMs = Math.min(retryMs * 2, maxRetryMs);
        schedule(wait);
      }
    }
  };

  /** Unreadable members are logged when they first appear, not on every evaluation. */
  const logProblems = (messages: readonly string[]) => {
    for (const m of messages) if (!problems.has(m)) log?.warn(m);
    problems = new Set(messages);
  };

  return {
    start(listener) {
      onChange = listener;
      connect();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      disarmUnreachable();
      await session?.client.close();
    },
  };
}
