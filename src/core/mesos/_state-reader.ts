/**
 * Reads state entities by plain `typeof` checks, building the normalised values directly
 * from the JSON tree. Declines (returns undefined) on anything it is not sure about; only
 * then does the valibot schema of `_state-schema.ts` run, so its message stays the one that
 * names the bad field. Why: the schemas copy every object and array of every task, and took
 * most of `parseState`'s time for large clusters. A property test checks that both agree
 * wherever this reader answers.
 *
 * @module
 */

import {
  check,
  type DiscoveryPortFields,
  type FrameworkFields,
  frameworkSchema,
  readStatusBySchema,
  readTaskBySchema,
  type TaskFields,
} from "./_state-schema.ts";
import { EMPTY, type MesosLabel, type MesosStatus } from "./state-model.ts";

/** Reads one task: its fields, or a one-line error naming the bad field. */
export function readTask(raw: unknown): TaskFields | string {
  return readTaskFast(raw) ?? readTaskBySchema(raw);
}

/** Reads one task status (the operator API streams them alone): the status, or a one-line error. */
export function readStatus(raw: unknown): MesosStatus | string {
  return readStatusFast(raw) ?? readStatusBySchema(raw);
}

// Each function returns undefined to decline; `textOf()` and `list()` return BAD for a
// value of the wrong type.

type Json = Record<string, unknown>;
const BAD = undefined;

function isObject(value: unknown): value is Json {
  // valibot's object(): any truthy non-function object, arrays included.
  return typeof value === "object" && value !== null;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return value == null ? "" : BAD;
}

/** A number (NaN is not one, as for valibot), or 0 when absent. */
function numberOrZero(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isNaN(value) ? BAD : value;
  return value == null ? 0 : BAD;
}

/** An array, or an empty one when absent. */
function list(value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value;
  return value == null ? EMPTY : BAD;
}

/** {@link readTask} by plain type checks; undefined when the schema must decide. */
export function readTaskFast(raw: unknown): TaskFields | undefined {
  if (!isObject(raw)) return undefined;
  const id = textOf(raw["id"]);
  const name = textOf(raw["name"]);
  const slaveId = textOf(raw["slave_id"]);
  const state = textOf(raw["state"]);
  if (id === BAD || name === BAD || slaveId === BAD || state === BAD) return undefined;
  const resources = raw["resources"];
  let portText = "";
  if (isObject(resources)) {
    const ports = textOf(resources["ports"]);
    if (ports === BAD) return undefined;
    portText = ports;
  } else if (resources != null) return undefined;
  const rawStatuses = list(raw["statuses"]);
  if (rawStatuses === BAD) return undefined;
  let statuses: readonly MesosStatus[] = EMPTY;
  if (rawStatuses.length > 0) {
    const out: MesosStatus[] = [];
    for (const rawStatus of rawStatuses) {
      const status = readStatusFast(rawStatus);
      if (status === undefined) return undefined;
      out.push(status);
    }
    statuses = out;
  }
  let discovery: TaskFields["discovery"];
  const rawDiscovery = raw["discovery"];
  if (isObject(rawDiscovery)) {
    discovery = readDiscoveryFast(rawDiscovery);
    if (discovery === undefined) return undefined;
  } else if (rawDiscovery != null) return undefined;
  return { id, name, slaveId, state, portText, statuses, discovery };
}

/** A status by plain type checks; undefined when the schema must decide. */
export function readStatusFast(raw: unknown): MesosStatus | undefined {
  if (!isObject(raw)) return undefined;
  const state = textOf(raw["state"]);
  const timestamp = numberOrZero(raw["timestamp"]);
  const rawLabels = list(raw["labels"]);
  if (state === BAD || timestamp === BAD || rawLabels === BAD) return undefined;
  let labels: readonly MesosLabel[] = EMPTY;
  if (rawLabels.length > 0) {
    const out: MesosLabel[] = [];
    for (const entry of rawLabels) {
      if (!isObject(entry)) return undefined;
      const key = textOf(entry["key"]);
      const value = textOf(entry["value"]);
      if (key === BAD || value === BAD) return undefined;
      out.push({ key, value });
    }
    labels = out;
  }
  let networkIps: readonly string[] = EMPTY;
  const container = raw["container_status"];
  if (isObject(container)) {
    const infos = list(container["network_infos"]);
    if (infos === BAD) return undefined;
    if (infos.length > 0) {
      const ips: string[] = [];
      for (const info of infos) if (!readNetworkInfoFast(info, ips)) return undefined;
      networkIps = ips;
    }
  } else if (container != null) return undefined;
  return { state, timestamp, labels, networkIps };
}

/** Appends one NetworkInfo's IP texts to `ips` as `toStatus()` does; false to decline. */
function readNetworkInfoFast(info: unknown, ips: string[]): boolean {
  if (!isObject(info)) return false;
  const addresses = list(info["ip_addresses"]);
  const single = textOf(info["ip_address"]);
  if (addresses === BAD || single === BAD) return false;
  if (addresses.length === 0) {
    ips.push(single);
    return true;
  }
  for (const address of addresses) {
    if (!isObject(address)) return false;
    const ip = textOf(address["ip_address"]);
    if (ip === BAD) return false;
    ips.push(ip);
  }
  return true;
}

function readDiscoveryFast(raw: Json): TaskFields["discovery"] {
  const name = textOf(raw["name"]);
  if (name === BAD) return undefined;
  const wrapper = raw["ports"];
  let rawPorts: readonly unknown[] = EMPTY;
  if (isObject(wrapper)) {
    const found = list(wrapper["ports"]);
    if (found === BAD) return undefined;
    rawPorts = found;
  } else if (wrapper != null) return undefined;
  const ports: DiscoveryPortFields[] = [];
  for (const port of rawPorts) {
    if (!isObject(port)) return undefined;
    const number = numberOrZero(port["number"]);
    const portName = textOf(port["name"]);
    const protocol = textOf(port["protocol"]);
    if (number === BAD || portName === BAD || protocol === BAD) return undefined;
    ports.push({ number, name: portName, protocol });
  }
  return { name, ports };
}

/** Reads one framework: its fields, or a one-line error naming the bad field. */
export function readFramework(raw: unknown): FrameworkFields | string {
  if (isObject(raw)) {
    const rawId = raw["id"];
    const id = typeof rawId === "string" ? rawId : "";
    const name = textOf(raw["name"]);
    const pid = raw["pid"];
    const hostname = textOf(raw["hostname"]);
    const tasks = list(raw["tasks"]);
    if (name !== BAD && hostname !== BAD && tasks !== BAD && (pid == null || typeof pid === "string")) {
      return { id, name, pid, hostname, tasks };
    }
  }
  const result = check(frameworkSchema, raw);
  return result.ok ? result.value : result.error;
}
