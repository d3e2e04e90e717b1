/**
 * Drives a real {@link Refresher} + {@link SnapshotStore} on the Bun platform against fake
 * masters, for the integration tests of leader detection and state retrieval.
 *
 * @module
 */
import { expect } from "bun:test";
import { bunPlatform } from "../../src/adapters/bun.ts";
import { type Config, defaultConfig } from "../../src/core/config/config.ts";
import { type MasterDetector, staticDetector } from "../../src/core/mesos/master-detector.ts";
import { type Snapshot, SnapshotStore } from "../../src/core/records/snapshot.ts";
import { Refresher } from "../../src/core/refresh/refresher.ts";

/** A small state: one agent, one framework with one running task. */
export const STATE = {
  frameworks: [
    {
      name: "marathon",
      pid: "scheduler-1@127.0.0.1:40001",
      hostname: "127.0.0.1",
      tasks: [
        {
          id: "web.1",
          name: "web",
          slave_id: "S1",
          state: "TASK_RUNNING",
          resources: { ports: "[31000-31000]" },
          statuses: [{ state: "TASK_RUNNING", timestamp: 1 }],
        },
      ],
    },
  ],
  slaves: [{ id: "S1", pid: "slave(1)@127.0.0.2:5051", hostname: "127.0.0.2" }],
};

export interface Harness {
  readonly refresher: Refresher;
  readonly store: SnapshotStore;
  readonly logs: string[];
  readonly fatal: string[];
  stop(): Promise<void>;
}

/** A refresher over `config` (defaults: no ZooKeeper timeout, 1 s state timeout, hourly ticks). */
export function startRefresher(patch: Partial<Config>, detector?: MasterDetector): Harness {
  const config: Config = {
    ...defaultConfig(),
    RefreshSeconds: 3600,
    StateTimeoutSeconds: 1,
    ZkDetectionTimeout: 0,
    Listener: "127.0.0.1",
    ...patch,
  };
  const store = new SnapshotStore();
  const logs: string[] = [];
  const fatal: string[] = [];
  const refresher = new Refresher({
    platform: bunPlatform,
    config,
    detector: detector ?? staticDetector(config),
    store,
    log: {
      info: (m) => logs.push(`info: ${m}`),
      warn: (m) => logs.push(`warn: ${m}`),
      error: (m) => logs.push(`error: ${m}`),
    },
    onFatal: (m) => fatal.push(m),
  });
  refresher.start();
  return { refresher, store, logs, fatal, stop: () => refresher.stop() };
}

/** A detector the test drives: `emit(list)` reports a new masters list. */
export function manualDetector(): { detector: MasterDetector; emit(masters: string[]): void } {
  let listener: ((masters: readonly string[]) => void) | undefined;
  return {
    detector: {
      start: (l) => {
        listener = l;
      },
      stop: async () => {
        listener = undefined;
      },
    },
    emit: (masters) => listener?.(Object.freeze([...masters])),
  };
}

/** Polls `check` every 20 ms until it holds or `timeoutMs` passes (then fails the test). */
export async function eventually(check: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) expect(`${what} within ${timeoutMs} ms`).toBe("reached");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The port in the `_leader._tcp` SRV, i.e. which master the records say leads. */
export function leaderPort(snapshot: Snapshot | undefined): number | undefined {
  const value = snapshot?.records.srv.get("_leader._tcp.mesos.")?.[0];
  return value === undefined ? undefined : Number(value.slice(value.lastIndexOf(":") + 1));
}
