/**
 * Reading the masters' registrations under a ZooKeeper path (SPEC 3.3): which node leads,
 * and every member's address with its node's sequence number.
 *
 * @module
 */
import { type MasterInfo, masterInfoFromJson, masterInfoFromProtobuf } from "./_master-info.ts";
import type { MasterMember } from "./masters-list.ts";
import { type ZkClient, ZkError } from "./zk-client.ts";

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

/** What one read of the masters' nodes found. */
export type Reading =
  | { kind: "ok"; node: string; leader: string; members: MasterMember[]; problems: string[] }
  /** The leader's node vanished between listing and reading: its children watch fires again. */
  | { kind: "stale" }
  | { kind: "failed"; cause: string };

/**
 * Reads every candidate's MasterInfo under `path`: the leader's must be readable; other
 * members that cannot be read or decoded are left out and reported. Connection failures
 * reject with the {@link ZkError}.
 */
export async function readMasters(
  client: ZkClient,
  children: readonly string[],
  path: string,
  servers: string,
): Promise<Reading> {
  const node = selectLeaderNode(children);
  const byId = new Map<string, MasterMember>();
  const bad: string[] = [];
  let leader = "";
  for (const name of children) {
    const sequence = sequenceOf(name, "json.info_") ?? sequenceOf(name, "info_");
    if (sequence === undefined) continue;
    const nodePath = `${path}/${name}`;
    let data: Uint8Array;
    try {
      data = await client.getData(nodePath);
    } catch (error) {
      const code = error instanceof ZkError ? error.code : "OTHER";
      if (code === "NO_NODE") {
        // The node vanished between the listing and the read: its watch fires again.
        if (name === node) return { kind: "stale" };
        continue;
      }
      if (code === "CLOSED" || code === "CONNECTION_LOSS" || code === "SESSION_EXPIRED") throw error;
      const cause = `Cannot read ZooKeeper node ${q(nodePath)} at ${servers}: ${(error as Error).message}`;
      if (name === node) return { kind: "failed", cause };
      bad.push(cause);
      continue;
    }
    const info = decodeMasterInfo(name, data);
    if (!info) {
      bad.push(`ZooKeeper node ${q(nodePath)}: cannot decode MasterInfo`);
      continue;
    }
    if (name === node) leader = info.address;
    if (info.address === "") continue;
    // One master can hold a json and a legacy node: it keeps its lowest sequence number.
    const key = info.id === "" ? `@${info.address}` : info.id;
    const seen = byId.get(key);
    if (!seen || sequence < seen.sequence) byId.set(key, { address: info.address, sequence });
  }
  return { kind: "ok", node, leader, members: [...byId.values()], problems: bad };
}

/** A value from ZooKeeper (or a path), quoted for a log line with control characters escaped. */
function q(value: string): string {
  return JSON.stringify(value);
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
