/**
 * Leader detection through ZooKeeper, as Mesos masters register themselves (SPEC 3.3):
 * ephemeral sequential children `json.info_<n>` (or legacy `info_<n>`) under a path; the
 * lowest sequence number is the leader.
 *
 * @module
 */
import { type MasterInfo, masterInfoFromJson, masterInfoFromProtobuf } from "./_master-info.ts";
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
  readonly log?: { warn(message: string): void };
  /** Session timeout; upstream: 60 s. */
  readonly sessionTimeoutMs?: number;
  /** Re-evaluate at most this often (upstream: once per second). */
  readonly minIntervalMs?: number;
  /** Retry delay while the path is missing or a read failed. */
  readonly retryMs?: number;
}

/**
 * Picks the leader node among `children` (SPEC 3.3): the smallest decimal sequence
 * among `json.info_<n>`; only when there are none, among `info_<n>`. "" when none.
 */
export function selectLeaderNode(children: readonly string[]): string {
  return lowest(children, "json.info_") || lowest(children, "info_");
}

/** Decodes a candidate node's payload by its name; undefined for other names or bad data. */
export function decodeMasterInfo(name: string, data: Uint8Array): MasterInfo | undefined {
  if (sequenceOf(name, "json.info_") !== undefined) return masterInfoFromJson(data);
  if (sequenceOf(name, "info_") !== undefined) return masterInfoFromProtobuf(data);
  return undefined;
}

/** A detector watching `options.path` in ZooKeeper. */
export function zkDetector(options: ZkDetectorOptions): MasterDetector {
  const minIntervalMs = options.minIntervalMs ?? 1000;
  const retryMs = options.retryMs ?? 1000;
  let list = initialMasters(options.masters);
  let leaderNode = "";
  let client: ZkClient | undefined;
  let onChange: (masters: MastersList) => void = () => {};
  let stopped = false;
  let running = false;
  let pending = false;
  let lastRunAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Bumped on every new session so reads from an old one are ignored.
  let generation = 0;

  const emit = (next: MastersList) => {
    if (stopped || sameMasters(next, list)) return;
    list = next;
    onChange(list);
  };

  const connect = () => {
    generation++;
    const mine = generation;
    const c = options.createClient({
      servers: options.servers,
      sessionTimeoutMs: options.sessionTimeoutMs ?? 60_000,
      credentials: options.credentials ?? "",
    });
    client = c;
    c.onSession((event) => {
      if (!stopped && mine === generation) onSession(event);
    });
    c.connect();
  };

  const onSession = (event: ZkSessionEvent) => {
    if (event === "connected") {
      schedule(0);
      return;
    }
    // Session or watch lost: the leader is no longer known (SPEC 3.3).
    if (leaderNode !== "") {
      leaderNode = "";
      emit(withoutLeader(list));
    }
    if (event === "expired") {
      const old = client;
      void old?.close();
      connect();
    }
  };

  const schedule = (delayMs: number) => {
    if (stopped) return;
    if (running) {
      pending = true;
      return;
    }
    if (timer !== undefined) return;
    const wait = Math.max(delayMs, lastRunAt + minIntervalMs - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      void evaluate();
    }, wait);
  };

  const evaluate = async () => {
    const c = client;
    if (stopped || !c) return;
    running = true;
    lastRunAt = Date.now();
    const mine = generation;
    let retry = false;
    try {
      const children = await c.getChildren(options.path, () => schedule(0));
      if (mine !== generation) return;
      const next = await readMasters(c, children);
      if (mine !== generation) return;
      leaderNode = next.node;
      emit(withMembers(withLeader(list, next.leader), next.members));
    } catch (error) {
      // A missing path sets no watch, so poll until it appears; connection loss is
      // followed by a session event that re-evaluates anyway.
      if (error instanceof ZkError && error.code === "NO_NODE") {
        if (leaderNode !== "") {
          leaderNode = "";
          emit(withoutLeader(list));
        }
        retry = true;
      } else if (!(error instanceof ZkError && error.code === "CLOSED")) {
        options.log?.warn(`ZooKeeper ${options.servers}${options.path}: ${(error as Error).message}`);
        retry = true;
      }
    } finally {
      running = false;
      if (pending) {
        pending = false;
        schedule(0);
      } else if (retry) {
        schedule(retryMs);
      }
    }
  };

  /** Reads every candidate's MasterInfo; the leader's must be readable. */
  const readMasters = async (c: ZkClient, children: readonly string[]) => {
    const node = selectLeaderNode(children);
    const infos = new Map<string, MasterInfo>();
    let leader = "";
    for (const name of [...children].sort()) {
      if (sequenceOf(name, "json.info_") === undefined && sequenceOf(name, "info_") === undefined) continue;
      let data: Uint8Array;
      try {
        data = await c.getData(`${options.path}/${name}`);
      } catch (error) {
        // The node vanished between the listing and the read: its watch fires again.
        if (error instanceof ZkError && error.code === "NO_NODE" && name !== node) continue;
        throw error;
      }
      const info = decodeMasterInfo(name, data);
      if (!info) {
        options.log?.warn(`ZooKeeper ${options.path}/${name}: cannot decode MasterInfo`);
        continue;
      }
      if (name === node) leader = info.address;
      if (info.address !== "") infos.set(info.id === "" ? `@${info.address}` : info.id, info);
    }
    return { node, leader, members: [...infos.values()].map((i) => i.address) };
  };

  return {
    start(listener) {
      onChange = listener;
      connect();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await client?.close();
    },
  };
}

function sequenceOf(name: string, prefix: string): number | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const suffix = name.slice(prefix.length);
  return /^\d+$/.test(suffix) ? Number(suffix) : undefined;
}

function lowest(children: readonly string[], prefix: string): string {
  let best = "";
  let bestSeq = Number.POSITIVE_INFINITY;
  for (const name of children) {
    const seq = sequenceOf(name, prefix);
    if (seq !== undefined && seq < bestSeq) {
      best = name;
      bestSeq = seq;
    }
  }
  return best;
}
