/**
 * The shapes of a Mesos `/master/state` document and of the operator API v1 events, and the
 * conversion from one to the other by plain JSON manipulation (no protobuf).
 *
 * The v1 output follows what a Mesos 1.x master sends (see the operator API capture in the
 * shared fixtures): ids become `{ "value": ... }`, resources become a list of SCALAR and RANGES
 * resources, label lists become `{ "labels": [...] }`, times become `{ "nanoseconds": ... }`,
 * frameworks lose their `pid`, and empty lists are left out as protobuf JSON leaves them out.
 *
 * @module
 */

/** A label of the state document (and of v1, inside `{ "labels": [...] }`). */
export interface StateLabel {
  readonly key: string;
  readonly value?: string;
}

/** One entry of a task's `statuses` in the state document. */
export interface StateStatus {
  readonly state: string;
  /** Seconds since the epoch. */
  readonly timestamp: number;
  readonly labels?: readonly StateLabel[];
  readonly container_status?: unknown;
  readonly [field: string]: unknown;
}

/** A task as `/master/state` lists it under `frameworks[].tasks`. */
export interface StateTask {
  readonly id: string;
  readonly name: string;
  readonly framework_id?: string;
  readonly slave_id?: string;
  readonly executor_id?: string;
  readonly state: string;
  /** `ports` is Mesos range text: `"[31000-31001, 31005-31005]"`. */
  readonly resources?: { readonly ports?: string; readonly [scalar: string]: unknown };
  readonly statuses?: readonly StateStatus[];
  readonly labels?: readonly StateLabel[];
  readonly discovery?: unknown;
  readonly container?: unknown;
  readonly [field: string]: unknown;
}

/** A framework of `/master/state`. Documents without `id` are keyed by `name`. */
export interface StateFramework {
  readonly id?: string;
  readonly name: string;
  readonly pid?: string;
  readonly hostname?: string;
  readonly user?: string;
  readonly active?: boolean;
  readonly tasks?: readonly StateTask[];
  readonly completed_tasks?: readonly StateTask[];
  readonly [field: string]: unknown;
}

/** An agent of `/master/state` (`slaves[]`). */
export interface StateAgent {
  readonly id: string;
  readonly pid?: string;
  readonly hostname?: string;
  readonly active?: boolean;
  readonly resources?: { readonly [name: string]: unknown };
  readonly attributes?: { readonly [name: string]: unknown };
  readonly [field: string]: unknown;
}

/** A JSON object of the v1 API (kept open: the fake passes fields through). */
export type V1Object = { readonly [field: string]: unknown };

/** One event of the operator API v1 `SUBSCRIBE` stream. */
export type V1Event =
  | { readonly type: "SUBSCRIBED"; readonly subscribed: V1Object }
  | { readonly type: "HEARTBEAT" }
  | { readonly type: "TASK_ADDED"; readonly task_added: { readonly task: V1Object } }
  | { readonly type: "TASK_UPDATED"; readonly task_updated: V1Object }
  | { readonly type: "FRAMEWORK_ADDED"; readonly framework_added: { readonly framework: V1Object } }
  | { readonly type: "FRAMEWORK_UPDATED"; readonly framework_updated: { readonly framework: V1Object } }
  | { readonly type: "FRAMEWORK_REMOVED"; readonly framework_removed: { readonly framework_info: V1Object } }
  | { readonly type: "AGENT_ADDED"; readonly agent_added: { readonly agent: V1Object } }
  | {
      readonly type: "AGENT_REMOVED";
      readonly agent_removed: { readonly agent_id: { readonly value: string } };
    };

/** The event type names of {@link V1Event}. */
export type V1EventType = V1Event["type"];

/** Task states after which Mesos never changes a task again. */
export const TERMINAL_STATES: ReadonlySet<string> = new Set([
  "TASK_FINISHED",
  "TASK_FAILED",
  "TASK_KILLED",
  "TASK_LOST",
  "TASK_ERROR",
  "TASK_DROPPED",
  "TASK_GONE",
  "TASK_GONE_BY_OPERATOR",
]);

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** The state document's `frameworks` (an empty list for anything else). */
export function frameworksOf(doc: unknown): StateFramework[] {
  return isObject(doc) ? list<StateFramework>(doc["frameworks"]).filter(isObject) : [];
}

/** The state document's agents (`slaves`). */
export function agentsOf(doc: unknown): StateAgent[] {
  return isObject(doc) ? list<StateAgent>(doc["slaves"]).filter(isObject) : [];
}

/** The framework's identity: its `id`, or its `name` in documents written without ids. */
export function frameworkKey(framework: StateFramework): string {
  return text(framework.id) ?? String(framework.name ?? "");
}

/** Parses Mesos range text (`"[31000-31001, 31005-31005]"`; a bare `31007` is 31007-31007) into v1 ranges. */
export function parseRanges(ranges: string): Array<{ begin: number; end: number }> {
  return [...ranges.matchAll(/(\d+)(?:\s*-\s*(\d+))?/g)].map((m) => ({
    begin: Number(m[1]),
    end: Number(m[2] ?? m[1]),
  }));
}

/** State-document resources (`{cpus: 1, mem: 128, ports: "[...]"}`) as a v1 resource list. */
export function v1Resources(resources: unknown): V1Object[] {
  if (!isObject(resources)) return [];
  const out: V1Object[] = [];
  for (const [name, value] of Object.entries(resources)) {
    if (typeof value === "number" && value !== 0) {
      out.push({ name, type: "SCALAR", scalar: { value } });
    } else if (typeof value === "string" && value.startsWith("[")) {
      const range = parseRanges(value);
      if (range.length > 0) out.push({ name, type: "RANGES", ranges: { range } });
    }
  }
  return out;
}

/** A state-document label list as the v1 `Labels` message. */
export function v1Labels(labels: readonly StateLabel[]): V1Object {
  return labels.length > 0 ? { labels } : {};
}

/** Seconds (state document) as a v1 `TimeInfo`. */
const timeInfo = (seconds: unknown) =>
  typeof seconds === "number" ? { nanoseconds: Math.round(seconds * 1e9) } : undefined;

/** Copies the defined entries of `fields` (so that absent fields stay absent). */
function defined(fields: Record<string, unknown>): V1Object {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** A state-document status as a v1 `TaskStatus` of `task`. */
export function v1Status(status: StateStatus, task: StateTask): V1Object {
  const { state, timestamp, labels, container_status, ...rest } = status;
  const executor = text(task.executor_id);
  return defined({
    task_id: { value: task.id },
    state,
    ...rest,
    agent_id: task.slave_id !== undefined ? { value: task.slave_id } : undefined,
    executor_id: executor ? { value: executor } : undefined,
    timestamp,
    labels: Array.isArray(labels) ? v1Labels(labels) : undefined,
    container_status,
  });
}

/**
 * A state-document task as a v1 `Task`. `frameworkId` is the framework the task is listed
 * under; it wins over the task's own `framework_id` (they always agree in a real master).
 */
export function v1Task(task: StateTask, frameworkId?: string): V1Object {
  const executor = text(task.executor_id);
  const resources = v1Resources(task.resources);
  const statuses = list<StateStatus>(task.statuses).filter(isObject);
  const fw = frameworkId ?? text(task.framework_id);
  return defined({
    name: task.name,
    task_id: { value: task.id },
    framework_id: fw !== undefined ? { value: fw } : undefined,
    executor_id: executor ? { value: executor } : undefined,
    agent_id: task.slave_id !== undefined ? { value: task.slave_id } : undefined,
    state: task.state,
    resources: resources.length > 0 ? resources : undefined,
    statuses: statuses.length > 0 ? statuses.map((s) => v1Status(s, task)) : undefined,
    labels: Array.isArray(task.labels) ? v1Labels(task.labels) : undefined,
    discovery: task.discovery,
    container: task.container,
    user: task.user,
  });
}

/** The v1 `FrameworkInfo` of a state-document framework (no `pid`: v1 has none). */
export function v1FrameworkInfo(f: StateFramework): V1Object {
  const capabilities = list<unknown>(f["capabilities"]).map((c) => (typeof c === "string" ? { type: c } : c));
  return defined({
    user: f.user,
    name: f.name,
    id: { value: frameworkKey(f) },
    failover_timeout: f["failover_timeout"],
    checkpoint: f["checkpoint"],
    role: f["role"],
    hostname: f.hostname,
    principal: f["principal"],
    webui_url: f["webui_url"] || undefined,
    capabilities: capabilities.length > 0 ? capabilities : undefined,
  });
}

/** A state-document framework as a v1 `GetFrameworks.Framework`. */
export function v1Framework(f: StateFramework): V1Object {
  const active = f.active ?? true;
  return defined({
    framework_info: v1FrameworkInfo(f),
    active,
    connected: f["connected"] ?? active,
    recovered: f["recovered"] ?? false,
    registered_time: timeInfo(f["registered_time"]),
    reregistered_time: timeInfo(f["reregistered_time"]),
    unregistered_time: timeInfo(f["unregistered_time"]),
  });
}

/** A state-document agent as a v1 `GetAgents.Agent` (with `pid`, unlike frameworks). */
export function v1Agent(a: StateAgent): V1Object {
  const pid = text(a.pid);
  const at = pid ? /@(\[[^\]]*\]|[^:]*):(\d+)$/.exec(pid) : null;
  const resources = v1Resources(a.resources);
  const attributes = Object.entries(isObject(a.attributes) ? a.attributes : {}).map(([name, value]) =>
    typeof value === "number"
      ? { name, type: "SCALAR", scalar: { value } }
      : { name, type: "TEXT", text: { value: String(value) } },
  );
  return defined({
    agent_info: defined({
      hostname: a.hostname ?? at?.[1]?.replace(/^\[|\]$/g, ""),
      port: at?.[2] ? Number(at[2]) : typeof a["port"] === "number" ? a["port"] : 5051,
      resources: resources.length > 0 ? resources : undefined,
      attributes: attributes.length > 0 ? attributes : undefined,
      id: { value: a.id },
    }),
    active: a.active ?? true,
    version: a["version"],
    pid,
    registered_time: timeInfo(a["registered_time"]),
    reregistered_time: timeInfo(a["reregistered_time"]),
    total_resources: resources.length > 0 ? resources.map((r) => ({ ...r, role: "*" })) : undefined,
  });
}

/** The v1 `GetState` of a state document: tasks (and completed tasks), frameworks, agents. */
export function v1GetState(doc: unknown): V1Object {
  const frameworks = frameworksOf(doc);
  const tasks = frameworks.flatMap((f) =>
    list<StateTask>(f.tasks)
      .filter(isObject)
      .map((t) => v1Task(t, frameworkKey(f))),
  );
  const completed = frameworks.flatMap((f) =>
    list<StateTask>(f.completed_tasks)
      .filter(isObject)
      .map((t) => v1Task(t, frameworkKey(f))),
  );
  const agents = agentsOf(doc).map(v1Agent);
  return {
    get_tasks: defined({
      tasks: tasks.length > 0 ? tasks : undefined,
      completed_tasks: completed.length > 0 ? completed : undefined,
    }),
    get_executors: {},
    get_frameworks: frameworks.length > 0 ? { frameworks: frameworks.map(v1Framework) } : {},
    get_agents: agents.length > 0 ? { agents } : {},
  };
}

/** The `SUBSCRIBED` event for a state document. */
export function subscribedEvent(doc: unknown, heartbeatSeconds: number): V1Event {
  return {
    type: "SUBSCRIBED",
    subscribed: { get_state: v1GetState(doc), heartbeat_interval_seconds: heartbeatSeconds },
  };
}

/** A `TASK_UPDATED` event: `status` applied to `task` of framework `frameworkId`. */
export function taskUpdatedEvent(task: StateTask, frameworkId: string, status: StateStatus): V1Event {
  return {
    type: "TASK_UPDATED",
    task_updated: {
      framework_id: { value: frameworkId },
      status: v1Status(status, task),
      state: task.state,
    },
  };
}
