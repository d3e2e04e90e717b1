/**
 * The Mesos master state document (docs/spec.md §4), parsed into the normalised {@link MesosState}.
 *
 * Upstream fails the whole document on one malformed pid or wrong-typed field, and crashes
 * on an agent without pid or a bad port range (docs/spec.md §10 #14-17). Here each framework, task
 * and agent is validated on its own: a bad one is skipped with a warning naming it, the
 * rest of the document is used.
 *
 * @module
 */

import { errorMessage } from "../log/log-text.ts";
import { isIp, splitHostPort } from "../net/ip.ts";
import { readFramework, readTask } from "./_state-reader.ts";
import { agentSchema, check, type TaskFields } from "./_state-schema.ts";
import { type PortRanges, parsePortRanges } from "./port-ranges.ts";
import {
  type Discovery,
  type DiscoveryPort,
  EMPTY,
  type HostPort,
  type MesosAgent,
  type MesosFramework,
  type MesosState,
  type MesosTask,
} from "./state-model.ts";
import { parseUpid } from "./upid.ts";

/**
 * Parses state text. Not JSON, or JSON that is not an object, gives `ok: false` with one
 * line; anything else gives a state (see {@link parseState}). Never throws.
 */
export function parseStateText(
  text: string,
): { ok: true; state: MesosState; warnings: string[] } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `state is not valid JSON: ${errorMessage(error)}` };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return {
      ok: false,
      error: `state is not a JSON object (got ${Array.isArray(json) ? "array" : typeof json})`,
    };
  }
  return { ok: true, ...parseState(json) };
}

/**
 * Normalises a decoded state document. Never fails: a malformed framework, task or agent
 * is skipped (or, for a framework's bad pid, just its scheduler address) with a warning.
 */
export function parseState(json: unknown): { state: MesosState; warnings: string[] } {
  const warnings: string[] = [];
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    warnings.push("state is not a JSON object; treated as empty");
    return { state: { leader: "", frameworks: [], slaves: [] }, warnings };
  }
  const doc = json as Record<string, unknown>;
  let leader = "";
  if (typeof doc["leader"] === "string") leader = doc["leader"];
  else if (doc["leader"] != null) warnings.push(`state field "leader" is not a string; ignored`);
  const frameworks: MesosFramework[] = [];
  const memo: PortMemo = new Map();
  for (const [index, raw] of listField(doc, "frameworks", warnings).entries()) {
    const framework = parseFramework(raw, index, warnings, memo);
    if (framework) frameworks.push(framework);
  }
  const slaves: MesosAgent[] = [];
  for (const [index, raw] of listField(doc, "slaves", warnings).entries()) {
    const agent = parseAgent(raw, index, warnings);
    if (agent) slaves.push(agent);
  }
  return { state: { leader, frameworks, slaves }, warnings };
}

/**
 * Hosts the generator will look up in its `resolved` map: framework and agent hosts, the
 * leader host, and hosts of `extra.masters` (`host:port`) and `extra.listener`, that are not
 * IP literals. The caller resolves them with the system resolver (docs/spec.md §4.7, 4.8, 10 #42).
 */
export function hostnamesToResolve(
  state: MesosState,
  extra: { masters?: readonly string[]; listener?: string } = {},
): string[] {
  const hosts = new Set<string>();
  const add = (host: string) => {
    if (host !== "" && !isIp(host)) hosts.add(host);
  };
  for (const framework of state.frameworks) add(framework.pid ? framework.pid.host : framework.hostname);
  for (const agent of state.slaves) add(agent.pid.host);
  const leader = parseUpid(state.leader);
  if (leader) add(leader.host);
  for (const master of extra.masters ?? []) {
    const hostPort = splitHostPort(master);
    if (hostPort) add(hostPort.host);
  }
  if (extra.listener !== undefined) add(extra.listener);
  return Array.from(hosts);
}

function listField(doc: Record<string, unknown>, key: string, warnings: string[]): unknown[] {
  const value = doc[key];
  if (Array.isArray(value)) return value;
  if (value != null) warnings.push(`state field "${key}" is not a list; ignored`);
  return [];
}

/** A name for warnings: the entity's `name` (or `id`) when it is a string, else its index. */
function describe(raw: unknown, index: number, key: "name" | "id"): string {
  if (typeof raw === "object" && raw !== null) {
    const value = (raw as Record<string, unknown>)[key];
    if (typeof value === "string" && value !== "") return JSON.stringify(value);
  }
  return `#${index}`;
}

/** Port texts already expanded in this document: instances of one app often share them. */
export type PortMemo = Map<string, PortRanges>;

function parseFramework(
  raw: unknown,
  index: number,
  warnings: string[],
  memo: PortMemo,
): MesosFramework | undefined {
  const input = readFramework(raw);
  if (typeof input === "string") {
    warnings.push(`framework ${describe(raw, index, "name")}: ${input}; framework skipped`);
    return undefined;
  }
  const where = `framework ${JSON.stringify(input.name)}`;
  let pid: HostPort | undefined;
  let hostname = input.hostname;
  if (input.pid != null) {
    const upid = parseUpid(input.pid);
    if (upid) pid = { host: upid.host, port: upid.port };
    else {
      // The tasks are still good; only the scheduler records depend on the pid.
      warnings.push(`${where}: bad pid ${JSON.stringify(input.pid)}; scheduler records skipped`);
      hostname = "";
    }
  }
  const tasks: MesosTask[] = [];
  const rawTasks = input.tasks;
  for (let taskIndex = 0; taskIndex < rawTasks.length; taskIndex++) {
    const rawTask = rawTasks[taskIndex];
    const fields = readTask(rawTask);
    if (typeof fields === "string") {
      warnings.push(`${where} task ${describe(rawTask, taskIndex, "name")}: ${fields}; task skipped`);
      continue;
    }
    tasks.push(toTask(fields, where, warnings, memo));
  }
  return { id: input.id, name: input.name, pid, hostname, tasks };
}

/**
 * Turns a task as read into the model: expands its ports (docs/spec.md §4.3) and checks its
 * DiscoveryInfo ports, warning as `${where} task "name": problem`. Shared with the operator
 * API stream, so a task reads the same from either source.
 */
export function toTask(fields: TaskFields, where: string, warnings: string[], memo: PortMemo): MesosTask {
  const portText = fields.portText;
  let ports: readonly number[] = EMPTY;
  if (portText !== "" && portText !== "[]") {
    // Shared between tasks with the same text: the arrays are never changed.
    let parsed = memo.get(portText);
    if (parsed === undefined) {
      parsed = parsePortRanges(portText);
      memo.set(portText, parsed);
    }
    ports = parsed.ports;
    for (const problem of parsed.problems)
      warnings.push(`${where} task ${JSON.stringify(fields.name)}: ${problem}`);
  }
  return {
    id: fields.id,
    name: fields.name,
    slaveId: fields.slaveId,
    state: fields.state,
    ports,
    statuses: fields.statuses,
    discovery: toDiscovery(fields, where, warnings),
  };
}

function toDiscovery(fields: TaskFields, where: string, warnings: string[]): Discovery | undefined {
  const discovery = fields.discovery;
  if (!discovery || discovery.name === "") return undefined;
  const ports: DiscoveryPort[] = [];
  for (const port of discovery.ports) {
    // Out-of-range numbers are skipped (docs/spec.md §10 #41: upstream wrapped them to 16 bits when answering).
    if (Number.isInteger(port.number) && port.number >= 0 && port.number <= 65535) ports.push(port);
    else {
      warnings.push(
        `${where} task ${JSON.stringify(fields.name)}: DiscoveryInfo port ${port.number} skipped: not an integer 0..65535`,
      );
    }
  }
  return { name: discovery.name, ports };
}

function parseAgent(raw: unknown, index: number, warnings: string[]): MesosAgent | undefined {
  const result = check(agentSchema, raw);
  if (!result.ok) {
    warnings.push(`agent ${describe(raw, index, "id")}: ${result.error}; agent skipped`);
    return undefined;
  }
  const { id, pid: pidText } = result.value;
  const where = `agent ${JSON.stringify(id)}`;
  if (pidText == null) {
    warnings.push(`${where}: no pid; agent skipped`);
    return undefined;
  }
  const agent = agentFromPid(id, pidText);
  if (!agent) warnings.push(`${where}: bad pid ${JSON.stringify(pidText)}; agent skipped`);
  return agent;
}

/** The agent `id` at the address of `pid` (docs/spec.md §4.2), or undefined when the pid does not parse. */
export function agentFromPid(id: string, pid: string): MesosAgent | undefined {
  const upid = parseUpid(pid);
  return upid ? { id, pid: { host: upid.host, port: upid.port } } : undefined;
}
