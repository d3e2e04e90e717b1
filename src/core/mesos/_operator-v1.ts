/**
 * Reads the entities of the operator API v1 (master.proto: `Task`, `TaskStatus`, `Agent`,
 * `FrameworkInfo`) into the state model. A v1 task is rewritten into the state document's
 * shape and read by the very readers `state.ts` uses, so a task gives the same `MesosTask`
 * (and the same warnings) from either source. Only the parts whose shape differs are read
 * here: `{ "value": .. }` id wrappers, `labels: { labels: [..] }`, and the `ports` resource,
 * whose `ranges.range[{begin, end}]` the state document writes as the text
 * `[31000-31001, 31005-31005]`. Fields passed on keep their path, so the readers' messages
 * name the v1 field.
 *
 * Like the state readers: `null` counts as absent, absent fields take empty values, and a
 * field of the wrong type makes the entity fail with a message naming it.
 *
 * @module
 */

import { joinHostPort } from "../net/ip.ts";
import { readFramework, readStatus, readTask } from "./_state-reader.ts";
import type { StreamFramework, StreamTask } from "./operator-event-model.ts";
import { agentFromPid, type PortMemo, toTask } from "./state.ts";
import type { MesosAgent, MesosStatus } from "./state-model.ts";

/** What is wrong with an entity, worded as the state readers word it: `field "path": problem`. */
export class Problem {
  readonly error: string;
  constructor(error: string) {
    this.error = error;
  }

  /** The message with `prefix` put before its path (or made its path), for the caller's context. */
  at(prefix: string): string {
    const match = /^field "([^"]*)": /.exec(this.error);
    if (!match) return `field "${prefix}": ${this.error}`;
    return `field "${prefix}.${match[1]}": ${this.error.slice(match[0].length)}`;
  }
}

type Json = Record<string, unknown>;

/**
 * An object as the state readers (valibot's `object()`) see one: arrays included. Used for
 * what is handed on to them (tasks, statuses, labels), so both sources judge it alike.
 */
export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null;
}

/**
 * An object that is not an array: the shapes only v1 has (id wrappers, `labels`, resources,
 * `agent_info`, payloads). An array there is a document in another shape (such as the state
 * document's plain label list), which must not read as an empty object.
 */
export function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "expected X, got Y" for `path` ("" for the entity itself). */
export function wrongType(path: string, expected: string, value: unknown): Problem {
  const what = `expected ${expected}, got ${received(value)}`;
  return new Problem(path === "" ? what : `field "${path}": ${what}`);
}

function received(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "Array";
  return typeof value === "object" ? "Object" : String(value);
}

/** Text for a message, quoted; cut short, since hostile input may hold megabytes. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}

/** The `value` of an id wrapper such as `task_id`: "" when absent. */
export function idOf(wrapper: unknown, path: string): string | Problem {
  if (wrapper == null) return "";
  if (!isRecord(wrapper)) return wrongType(path, "Object", wrapper);
  const value = wrapper["value"];
  if (value == null) return "";
  return typeof value === "string" ? value : wrongType(`${path}.value`, "string", value);
}

/** A name for messages: the entity's `name`, else its id, when a non-empty string. */
export function describeTask(raw: unknown): string | undefined {
  if (!isObject(raw)) return undefined;
  const name = raw["name"];
  if (typeof name === "string" && name !== "") return quote(name);
  const id = isObject(raw["task_id"]) ? raw["task_id"]["value"] : undefined;
  return typeof id === "string" && id !== "" ? quote(id) : undefined;
}

/**
 * Reads one v1 `Task`. Port and DiscoveryInfo problems are warnings worded as `state.ts`
 * words them, with the framework named by its id (the stream gives no name with a task).
 */
export function readStreamTask(raw: unknown, warnings: string[], memo: PortMemo): StreamTask | Problem {
  if (!isObject(raw)) return wrongType("", "Object", raw);
  const frameworkId = idOf(raw["framework_id"], "framework_id");
  if (frameworkId instanceof Problem) return frameworkId;
  const doc = toStateTask(raw);
  if (doc instanceof Problem) return doc;
  const fields = readTask(doc);
  if (typeof fields === "string") return new Problem(fields);
  return { frameworkId, task: toTask(fields, `framework ${JSON.stringify(frameworkId)}`, warnings, memo) };
}

/** The state document's form of a v1 task: the fields `readTask()` reads, at the same paths. */
function toStateTask(raw: Json): Json | Problem {
  const id = idOf(raw["task_id"], "task_id");
  if (id instanceof Problem) return id;
  const slaveId = idOf(raw["agent_id"], "agent_id");
  if (slaveId instanceof Problem) return slaveId;
  const ports = portText(raw["resources"]);
  if (ports instanceof Problem) return ports;
  const statuses = stateStatuses(raw["statuses"]);
  if (statuses instanceof Problem) return statuses;
  return {
    id,
    name: raw["name"],
    slave_id: slaveId,
    state: raw["state"],
    resources: { ports },
    statuses,
    discovery: raw["discovery"],
  };
}

/** Statuses with their labels unwrapped; anything else is left for `readTask()` to judge. */
function stateStatuses(raw: unknown): unknown {
  if (!Array.isArray(raw)) return raw;
  const out: unknown[] = [];
  for (let index = 0; index < raw.length; index++) {
    const status = stateStatus(raw[index], `statuses.${index}.`);
    if (status instanceof Problem) return status;
    out.push(status);
  }
  return out;
}

/** A status with its labels unwrapped; `prefix` is the status's path with a trailing dot, or "". */
function stateStatus(raw: unknown, prefix: string): unknown {
  if (!isObject(raw) || raw["labels"] == null) return raw;
  const labels = labelList(raw["labels"], `${prefix}labels`);
  return labels instanceof Problem ? labels : { ...raw, labels };
}

/**
 * The plain label list inside v1's `{ "labels": [..] }`. The entries are checked here, not
 * left to the state readers, so that a message names their v1 path.
 */
function labelList(wrapper: unknown, path: string): readonly Json[] | Problem {
  if (!isRecord(wrapper)) return wrongType(path, "Object", wrapper);
  const list = wrapper["labels"];
  if (list == null) return [];
  if (!Array.isArray(list)) return wrongType(`${path}.labels`, "Array", list);
  const labels: Json[] = [];
  for (let index = 0; index < list.length; index++) {
    const entry: unknown = list[index];
    const where = `${path}.labels.${index}`;
    if (!isObject(entry)) return wrongType(where, "Object", entry);
    const key = entry["key"];
    const value = entry["value"];
    if (key != null && typeof key !== "string") return wrongType(`${where}.key`, "string", key);
    if (value != null && typeof value !== "string") return wrongType(`${where}.value`, "string", value);
    labels.push({ key, value });
  }
  return labels;
}

/**
 * The state document's `resources.ports` text for v1 `resources[]`: the ranges of every
 * entry named `ports` of type `RANGES`, in order, as `[b-e, b-e]`; "" when there is none.
 * Numbers are written as they are, so `parsePortRanges()` judges (and warns about) odd ones
 * exactly as it does for the state document.
 */
function portText(raw: unknown): string | Problem {
  if (raw == null) return "";
  if (!Array.isArray(raw)) return wrongType("resources", "Array", raw);
  let pieces: string[] | undefined;
  for (let index = 0; index < raw.length; index++) {
    const entry: unknown = raw[index];
    const path = `resources.${index}`;
    if (!isRecord(entry)) return wrongType(path, "Object", entry);
    const name = entry["name"];
    const type = entry["type"];
    if (name != null && typeof name !== "string") return wrongType(`${path}.name`, "string", name);
    if (type != null && typeof type !== "string") return wrongType(`${path}.type`, "string", type);
    if (name !== "ports" || type !== "RANGES") continue;
    pieces ??= [];
    const problem = rangePieces(entry["ranges"], `${path}.ranges`, pieces);
    if (problem) return problem;
  }
  return pieces === undefined ? "" : `[${pieces.join(", ")}]`;
}

/** Appends `begin-end` for each of `ranges.range[]` to `pieces`; a problem when malformed. */
function rangePieces(ranges: unknown, path: string, pieces: string[]): Problem | undefined {
  if (ranges == null) return undefined;
  if (!isRecord(ranges)) return wrongType(path, "Object", ranges);
  const list = ranges["range"];
  if (list == null) return undefined;
  if (!Array.isArray(list)) return wrongType(`${path}.range`, "Array", list);
  for (let index = 0; index < list.length; index++) {
    const range: unknown = list[index];
    const where = `${path}.range.${index}`;
    if (!isRecord(range)) return wrongType(where, "Object", range);
    const begin = range["begin"];
    const end = range["end"];
    if (typeof begin !== "number") return wrongType(`${where}.begin`, "number", begin);
    if (typeof end !== "number") return wrongType(`${where}.end`, "number", end);
    pieces.push(`${begin}-${end}`);
  }
  return undefined;
}

/** Reads one v1 `TaskStatus` as the state readers read a task's status. */
export function readStreamStatus(raw: unknown): MesosStatus | Problem {
  const status = stateStatus(raw, "");
  if (status instanceof Problem) return status;
  const read = readStatus(status);
  return typeof read === "string" ? new Problem(read) : read;
}

/**
 * Reads one v1 `Agent`: its id from `agent_info.id` and its address from `pid`, as the state
 * document's agents.
 */
export function readStreamAgent(raw: unknown): MesosAgent | Problem {
  if (!isRecord(raw)) return wrongType("", "Object", raw);
  const info = raw["agent_info"] ?? {};
  if (!isRecord(info)) return wrongType("agent_info", "Object", info);
  const id = idOf(info["id"], "agent_info.id");
  if (id instanceof Problem) return id;
  const pid = raw["pid"];
  if (pid != null) {
    if (typeof pid !== "string") return wrongType("pid", "string", pid);
    return agentFromPid(id, pid) ?? new Problem(`field "pid": bad pid ${quote(pid)}`);
  }
  // `Agent.pid` is optional in master.proto, while `AgentInfo` always has the host and port
  // the agent registered with: the same address, though perhaps a host name where the pid has
  // an IP (the caller resolves host names, as for pids that name hosts).
  const hostname = info["hostname"];
  const port = info["port"];
  if (typeof hostname !== "string" || hostname === "" || typeof port !== "number") {
    return new Problem(`field "pid": missing, and agent_info has no hostname and port to fall back on`);
  }
  const address = joinHostPort(hostname, port);
  return (
    agentFromPid(id, `@${address}`) ??
    new Problem(`field "agent_info": no pid, and hostname and port ${quote(address)} are no address`)
  );
}

/** Reads one v1 `FrameworkInfo`: id, name and hostname. */
export function readStreamFramework(info: unknown): StreamFramework | Problem {
  if (!isRecord(info)) return wrongType("", "Object", info);
  const id = idOf(info["id"], "id");
  if (id instanceof Problem) return id;
  const fields = readFramework({ name: info["name"], hostname: info["hostname"] });
  if (typeof fields === "string") return new Problem(fields);
  return { id, name: fields.name, hostname: fields.hostname };
}
