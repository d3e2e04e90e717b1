/**
 * Reading the masters' registrations under a ZooKeeper path (docs/spec.md §3.3): which node leads,
 * and every member's address with its node's sequence number.
 *
 * MasterInfo decoding (docs/spec.md §3.3): JSON in `json.info_<n>` nodes (Mesos >= 0.24), protobuf
 * in legacy `info_<n>` nodes.
 *
 * @module
 */

import { errorMessage, quote } from "../log/log-text.ts";
import type { MasterMember } from "./masters-list.ts";
import { type ZkClient, ZkError } from "./zk-client.ts";

/**
 * Picks the leader node among `children` (docs/spec.md §3.3): the smallest decimal sequence
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
      const cause = `Cannot read ZooKeeper node ${quote(nodePath)} at ${servers}: ${errorMessage(error)}`;
      if (name === node) return { kind: "failed", cause };
      bad.push(cause);
      continue;
    }
    const info = decodeMasterInfo(name, data);
    if (!info) {
      bad.push(`ZooKeeper node ${quote(nodePath)}: cannot decode MasterInfo`);
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

/** What the detector needs from a MasterInfo. */
export interface MasterInfo {
  readonly id: string;
  /** `ip:port` (IPv6 bracketed), `:port` when the address has no ip. */
  readonly address: string;
}

interface RawInfo {
  id?: string;
  ip?: number;
  port?: number;
  address?: { ip?: string; port?: number };
}

/** Parses a `json.info_*` payload; undefined when it is not a JSON object. */
export function masterInfoFromJson(data: Uint8Array): MasterInfo | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const raw: RawInfo = {};
  if (typeof v.id === "string") raw.id = v.id;
  if (typeof v.ip === "number") raw.ip = v.ip;
  if (typeof v.port === "number") raw.port = v.port;
  if (typeof v.address === "object" && v.address !== null) {
    const a = v.address as Record<string, unknown>;
    raw.address = {};
    if (typeof a.ip === "string") raw.address.ip = a.ip;
    if (typeof a.port === "number") raw.address.port = a.port;
  }
  return toInfo(raw);
}

/** Parses a legacy `info_*` payload (protobuf `mesos.MasterInfo`); undefined when malformed. */
export function masterInfoFromProtobuf(data: Uint8Array): MasterInfo | undefined {
  const fields = decodeProtobufFields(data);
  if (!fields) return undefined;
  const raw: RawInfo = {};
  const id = fields.get(1);
  if (id instanceof Uint8Array) raw.id = new TextDecoder().decode(id);
  const ip = fields.get(2);
  if (typeof ip === "number") raw.ip = ip;
  const port = fields.get(3);
  if (typeof port === "number") raw.port = port;
  const address = fields.get(7);
  if (address instanceof Uint8Array) {
    const a = decodeProtobufFields(address);
    if (!a) return undefined;
    raw.address = {};
    const aip = a.get(2);
    if (aip instanceof Uint8Array) raw.address.ip = new TextDecoder().decode(aip);
    const aport = a.get(3);
    if (typeof aport === "number") raw.address.port = aport | 0;
  }
  return toInfo(raw);
}

/** Formats `host:port`, bracketing IPv6 hosts (Go `net.JoinHostPort`). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

function toInfo(raw: RawInfo): MasterInfo {
  let address: string;
  if (raw.address) {
    address = joinHostPort(raw.address.ip ?? "", raw.address.port ?? 0);
  } else {
    // Legacy: the uint32 holds the address bytes as laid out in memory on the (little-endian)
    // master, so the first octet is the least significant byte (docs/spec.md §3.3).
    const ip = (raw.ip ?? 0) >>> 0;
    const quad = [ip & 0xff, (ip >>> 8) & 0xff, (ip >>> 16) & 0xff, ip >>> 24].join(".");
    address = joinHostPort(quad, raw.port ?? 5050);
  }
  return { id: raw.id ?? "", address };
}

type FieldValue = number | Uint8Array;

/** A minimal protobuf reader: last value of each varint / length-delimited field. */
function decodeProtobufFields(data: Uint8Array): Map<number, FieldValue> | undefined {
  const fields = new Map<number, FieldValue>();
  let pos = 0;
  const varint = (): number | undefined => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = data[pos++];
      if (byte === undefined) return undefined;
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return result;
    }
    return undefined;
  };
  while (pos < data.length) {
    const key = varint();
    if (key === undefined) return undefined;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) {
      const v = varint();
      if (v === undefined) return undefined;
      // uint32/int32 fields: keep the low 32 bits, as a protobuf decoder does.
      fields.set(field, v % 2 ** 32);
    } else if (wire === 2) {
      const len = varint();
      if (len === undefined || pos + len > data.length) return undefined;
      fields.set(field, data.subarray(pos, pos + len));
      pos += len;
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else {
      return undefined;
    }
  }
  return pos === data.length ? fields : undefined;
}
