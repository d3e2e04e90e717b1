/**
 * One record of the Mesos operator API v1 `SUBSCRIBE` stream (a JSON `Event` of
 * master.proto, as `recordio.ts` decodes it), parsed into a typed {@link OperatorEvent}.
 *
 * Tasks, agents and frameworks map onto the state model exactly as the state document's do
 * (`_operator-v1.ts`). A malformed entity inside the `SUBSCRIBED` snapshot is skipped with a
 * warning, as `state.ts` skips one; a malformed entity that is the subject of its event
 * (`TASK_ADDED`'s task, `AGENT_ADDED`'s agent, ...) makes the event fail, with a message
 * naming the event type and the field. Each event's payload object and subject are
 * required; ids inside them follow the state document's rule (absent: "").
 *
 * @module
 */

import {
  describeTask,
  idOf,
  isObject,
  isRecord,
  Problem,
  quote,
  readStreamAgent,
  readStreamFramework,
  readStreamStatus,
  readStreamTask,
  wrongType,
} from "./_operator-v1.ts";
import type {
  OperatorEvent,
  OperatorEventResult,
  StreamFramework,
  StreamSnapshot,
  StreamTask,
} from "./operator-event-model.ts";
import type { PortMemo } from "./state.ts";
import type { MesosAgent } from "./state-model.ts";

export type {
  OperatorEvent,
  OperatorEventResult,
  StreamFramework,
  StreamSnapshot,
  StreamTask,
} from "./operator-event-model.ts";

import { errorMessage } from "../log/log-text.ts";

type Json = Record<string, unknown>;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses one decoded record (bytes or text). Not UTF-8, not JSON, not an object, no string
 * `type`, or a malformed payload: `ok: false` with one line. An event type not listed in
 * {@link OperatorEvent} is `UNKNOWN`, for the caller to warn about. Never throws.
 */
export function parseOperatorEvent(record: Uint8Array | string): OperatorEventResult {
  let text: string;
  if (typeof record === "string") text = record;
  else {
    try {
      text = utf8.decode(record);
    } catch {
      return { ok: false, error: "operator event is not valid UTF-8" };
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      error: `operator event is not valid JSON: ${errorMessage(error)}`,
    };
  }
  if (!isRecord(json)) {
    return {
      ok: false,
      error: `operator event is not a JSON object (got ${Array.isArray(json) ? "array" : json === null ? "null" : typeof json})`,
    };
  }
  const type = json["type"];
  if (type == null) return { ok: false, error: `operator event has no "type"` };
  if (typeof type !== "string")
    return { ok: false, error: `operator event ${wrongType("type", "string", type).error}` };
  const warnings: string[] = [];
  const event = readEvent(type, json, warnings);
  if (event instanceof Problem) return { ok: false, error: `${type}: ${event.error}` };
  return { ok: true, event, warnings };
}

/** The event of `type`; a problem worded with its full path. */
function readEvent(type: string, json: Json, warnings: string[]): OperatorEvent | Problem {
  switch (type) {
    case "HEARTBEAT":
      return { type };
    case "SUBSCRIBED":
      return withPayload(json, "subscribed", (payload, path) => readSubscribed(payload, path, warnings));
    case "TASK_ADDED":
      return withPayload(json, "task_added", (payload, path) => {
        const raw = payload["task"];
        if (raw == null) return missing(`${path}.task`);
        const task = readStreamTask(raw, warnings, new Map());
        if (!(task instanceof Problem)) return { type, task };
        const name = describeTask(raw);
        return new Problem(`${name === undefined ? "" : `task ${name}: `}${task.at(`${path}.task`)}`);
      });
    case "TASK_UPDATED":
      return withPayload(json, "task_updated", (payload, path) => readTaskUpdated(payload, path));
    case "AGENT_ADDED":
      return withPayload(json, "agent_added", (payload, path) => {
        const raw = payload["agent"];
        if (raw == null) return missing(`${path}.agent`);
        const agent = readStreamAgent(raw);
        return agent instanceof Problem ? new Problem(agent.at(`${path}.agent`)) : { type, agent };
      });
    case "AGENT_REMOVED":
      return withPayload(json, "agent_removed", (payload, path) => {
        if (payload["agent_id"] == null) return missing(`${path}.agent_id`);
        const agentId = idOf(payload["agent_id"], "agent_id");
        return agentId instanceof Problem ? new Problem(agentId.at(path)) : { type, agentId };
      });
    case "FRAMEWORK_ADDED":
    case "FRAMEWORK_UPDATED": {
      const key = type === "FRAMEWORK_ADDED" ? "framework_added" : "framework_updated";
      return withPayload(json, key, (payload, path) => {
        const framework = readFramework(payload["framework"], `${path}.framework`);
        return framework instanceof Problem ? framework : { type, framework };
      });
    }
    case "FRAMEWORK_REMOVED":
      return withPayload(json, "framework_removed", (payload, path) => {
        const raw = payload["framework_info"];
        if (raw == null) return missing(`${path}.framework_info`);
        const framework = readStreamFramework(raw);
        if (framework instanceof Problem) return new Problem(framework.at(`${path}.framework_info`));
        return { type, frameworkId: framework.id };
      });
    default:
      return { type: "UNKNOWN", name: type };
  }
}

/** Runs `read` on the event's payload object `json[key]`, which must be present. */
function withPayload(
  json: Json,
  key: string,
  read: (payload: Json, path: string) => OperatorEvent | Problem,
): OperatorEvent | Problem {
  const payload = json[key];
  if (payload == null) return missing(key);
  if (!isRecord(payload)) return wrongType(key, "Object", payload);
  return read(payload, key);
}

function missing(path: string): Problem {
  return new Problem(`field "${path}": missing`);
}

/** A v1 `Framework` (`{ framework_info: {..} }`), which must be present. */
function readFramework(raw: unknown, path: string): StreamFramework | Problem {
  if (raw == null) return missing(path);
  if (!isRecord(raw)) return wrongType(path, "Object", raw);
  const info = raw["framework_info"];
  if (info == null) return missing(`${path}.framework_info`);
  const framework = readStreamFramework(info);
  return framework instanceof Problem ? new Problem(framework.at(`${path}.framework_info`)) : framework;
}

function readTaskUpdated(payload: Json, path: string): OperatorEvent | Problem {
  const frameworkId = idOf(payload["framework_id"], "framework_id");
  if (frameworkId instanceof Problem) return new Problem(frameworkId.at(path));
  const state = payload["state"];
  if (state != null && typeof state !== "string")
    return new Problem(wrongType("state", "string", state).at(path));
  const raw = payload["status"];
  if (raw == null) {
    return {
      type: "TASK_UPDATED",
      frameworkId,
      taskId: "",
      agentId: "",
      state: state ?? "",
      status: undefined,
    };
  }
  const statusPath = `${path}.status`;
  if (!isObject(raw)) return wrongType(statusPath, "Object", raw);
  const taskId = idOf(raw["task_id"], "task_id");
  if (taskId instanceof Problem) return new Problem(taskId.at(statusPath));
  const agentId = idOf(raw["agent_id"], "agent_id");
  if (agentId instanceof Problem) return new Problem(agentId.at(statusPath));
  const status = readStreamStatus(raw);
  if (status instanceof Problem) {
    return new Problem(`task ${quote(taskId)}: ${status.at(statusPath)}`);
  }
  return { type: "TASK_UPDATED", frameworkId, taskId, agentId, state: state ?? status.state, status };
}

/**
 * `SUBSCRIBED`: `get_state` must be present (an empty snapshot would wipe the caller's
 * view); its lists may be absent. Malformed entries are skipped with a warning each.
 */
function readSubscribed(payload: Json, path: string, warnings: string[]): OperatorEvent | Problem {
  const getState = payload["get_state"];
  const statePath = `${path}.get_state`;
  if (getState == null) return missing(statePath);
  if (!isRecord(getState)) return wrongType(statePath, "Object", getState);
  const snapshot: StreamSnapshot = {
    frameworks: snapshotFrameworks(getState, `${statePath}.get_frameworks`, warnings),
    agents: snapshotAgents(getState, `${statePath}.get_agents`, warnings),
    tasks: snapshotTasks(getState, `${statePath}.get_tasks`, warnings),
  };
  let heartbeatSeconds: number | undefined;
  const heartbeat = payload["heartbeat_interval_seconds"];
  if (typeof heartbeat === "number" && heartbeat > 0 && Number.isFinite(heartbeat))
    heartbeatSeconds = heartbeat;
  else if (heartbeat != null) {
    warnings.push(
      `SUBSCRIBED: ${wrongType(`${path}.heartbeat_interval_seconds`, "a positive number", heartbeat).error}; ignored`,
    );
  }
  return { type: "SUBSCRIBED", snapshot, heartbeatSeconds };
}

/** `getState[group][key]` as a list; absent lists are empty, others warned about and ignored. */
function snapshotList(getState: Json, group: string, key: string, warnings: string[]): readonly unknown[] {
  const wrapper = getState[group];
  const path = `subscribed.get_state.${group}`;
  if (wrapper == null) return [];
  if (!isRecord(wrapper)) {
    warnings.push(`SUBSCRIBED: ${wrongType(path, "Object", wrapper).error}; ignored`);
    return [];
  }
  const list = wrapper[key];
  if (list == null) return [];
  if (!Array.isArray(list)) {
    warnings.push(`SUBSCRIBED: ${wrongType(`${path}.${key}`, "Array", list).error}; ignored`);
    return [];
  }
  return list;
}

function snapshotFrameworks(getState: Json, path: string, warnings: string[]): StreamFramework[] {
  const frameworks: StreamFramework[] = [];
  for (const [index, raw] of snapshotList(getState, "get_frameworks", "frameworks", warnings).entries()) {
    const framework = readFramework(raw, `${path}.frameworks.${index}`);
    if (framework instanceof Problem) warnings.push(`SUBSCRIBED: ${framework.error}; framework skipped`);
    else frameworks.push(framework);
  }
  return frameworks;
}

function snapshotAgents(getState: Json, path: string, warnings: string[]): MesosAgent[] {
  const agents: MesosAgent[] = [];
  for (const [index, raw] of snapshotList(getState, "get_agents", "agents", warnings).entries()) {
    const agent = readStreamAgent(raw);
    if (agent instanceof Problem) {
      warnings.push(`SUBSCRIBED: ${agent.at(`${path}.agents.${index}`)}; agent skipped`);
    } else agents.push(agent);
  }
  return agents;
}

function snapshotTasks(getState: Json, path: string, warnings: string[]): StreamTask[] {
  const tasks: StreamTask[] = [];
  // One memo for the snapshot, as `state.ts` has one per document.
  const memo: PortMemo = new Map();
  for (const [index, raw] of snapshotList(getState, "get_tasks", "tasks", warnings).entries()) {
    const task = readStreamTask(raw, warnings, memo);
    if (!(task instanceof Problem)) {
      tasks.push(task);
      continue;
    }
    const name = describeTask(raw);
    const what = name === undefined ? "task" : `task ${name}`;
    warnings.push(`SUBSCRIBED: ${what}: ${task.at(`${path}.tasks.${index}`)}; task skipped`);
  }
  return tasks;
}
