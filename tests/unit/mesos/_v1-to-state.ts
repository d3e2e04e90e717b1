/**
 * Test helper: rewrites operator API v1 JSON (master.proto `Task`, `Agent`, `FrameworkInfo`)
 * into the equivalent `/master/state` document JSON, by plain JSON manipulation and without
 * the code under test, so that `parseState()` of the result is the reference for
 * `parseOperatorEvent()`.
 *
 * The v1 shapes that differ: ids are `{ "value": "…" }`, status labels are
 * `{ "labels": [ … ] }`, and host ports are `resources[]` entries named `ports` of type
 * `RANGES` (`ranges.range[{ begin, end }]`) where the state document has the text
 * `"[b-e, b-e]"`. Where the v1 value is malformed, the rewrite puts a value of the wrong type
 * in the state document, so that its reader rejects the entity too.
 */

type Json = Record<string, unknown>;

/** A value no state-document string field accepts. */
function malformed(original: unknown): Json {
  return { malformedV1Value: original ?? null };
}

/** What the state readers take for an object: arrays too. */
function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null;
}

/** What a v1-only wrapper must be: an object, not an array. */
function isPlainObject(value: unknown): value is Json {
  return isObject(value) && !Array.isArray(value);
}

/** The `value` of an id wrapper; undefined when absent, a malformed value when the wrapper is not an object. */
function unwrapId(wrapper: unknown): unknown {
  if (wrapper === undefined || wrapper === null) return undefined;
  return isPlainObject(wrapper) ? wrapper["value"] : malformed(wrapper);
}

function stringOrAbsent(value: unknown): boolean {
  return value === undefined || value === null || typeof value === "string";
}

/** `resources[]` as the state document's ports text, or a number (which the reader rejects). */
function portsText(resources: unknown): unknown {
  if (resources === undefined || resources === null) return "";
  if (!Array.isArray(resources)) return 0;
  const pieces: string[] = [];
  let sawPorts = false;
  for (const resource of resources) {
    if (!isPlainObject(resource)) return 0;
    if (!stringOrAbsent(resource["name"]) || !stringOrAbsent(resource["type"])) return 0;
    if (resource["name"] !== "ports" || resource["type"] !== "RANGES") continue;
    sawPorts = true;
    const ranges = resource["ranges"];
    if (ranges === undefined || ranges === null) continue;
    if (!isPlainObject(ranges)) return 0;
    const list = ranges["range"];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) return 0;
    for (const range of list) {
      if (!isPlainObject(range) || typeof range["begin"] !== "number" || typeof range["end"] !== "number")
        return 0;
      pieces.push(`${range["begin"]}-${range["end"]}`);
    }
  }
  return sawPorts ? `[${pieces.join(", ")}]` : "";
}

/** A v1 `TaskStatus` with its labels as the state document's plain list. */
function statusToState(status: unknown): unknown {
  if (!isObject(status)) return status;
  const wrapper = status["labels"];
  if (wrapper === undefined || wrapper === null) return status;
  const copy: Json = { ...status };
  if (!isPlainObject(wrapper)) copy["labels"] = malformed(wrapper);
  else {
    const list = wrapper["labels"];
    copy["labels"] = list === undefined || list === null ? [] : list;
  }
  return copy;
}

/** A v1 `Task` as a state-document task (its framework id is left out: see {@link v1TaskToStateDocument}). */
export function v1TaskToState(task: unknown): unknown {
  if (!isObject(task)) return task;
  const statuses = task["statuses"];
  const out: Json = {
    id: unwrapId(task["task_id"]),
    name: task["name"],
    slave_id: unwrapId(task["agent_id"]),
    state: task["state"],
    resources: { ports: portsText(task["resources"]) },
    statuses: Array.isArray(statuses) ? statuses.map(statusToState) : statuses,
    discovery: task["discovery"],
  };
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out;
}

/**
 * A state document holding the v1 task in a framework named by the task's framework id (so
 * that warnings name the framework alike), with no agents. A malformed framework id gives a
 * task the reader rejects.
 */
export function v1TaskToStateDocument(task: unknown): Json {
  let frameworkName = "";
  let stateTask = v1TaskToState(task);
  if (isObject(task)) {
    const frameworkId = unwrapId(task["framework_id"]);
    if (frameworkId === undefined || frameworkId === null) frameworkName = "";
    else if (typeof frameworkId === "string") frameworkName = frameworkId;
    else stateTask = { id: malformed(frameworkId) };
  }
  return { frameworks: [{ name: frameworkName, tasks: [stateTask] }], slaves: [] };
}

/**
 * A v1 `Agent` as a state-document agent: `agent_info.id` and `pid`, or when there is no pid,
 * the pid the agent's `agent_info.hostname` and `port` would make.
 */
export function v1AgentToState(agent: unknown): unknown {
  if (!isPlainObject(agent)) return { id: malformed(agent) };
  const info = agent["agent_info"];
  if (info !== undefined && info !== null && !isPlainObject(info)) return { id: malformed(info) };
  const id = isPlainObject(info) ? unwrapId(info["id"]) : undefined;
  let pid = agent["pid"];
  if ((pid === undefined || pid === null) && isPlainObject(info)) {
    const { hostname, port } = info;
    if (typeof hostname === "string" && hostname !== "" && typeof port === "number") {
      pid = `slave(1)@${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
    }
  }
  return { id, pid };
}

/** A v1 `FrameworkInfo` as a state-document framework (no pid, no tasks). */
export function v1FrameworkToState(info: unknown): unknown {
  if (!isPlainObject(info)) return { name: malformed(info) };
  return { id: unwrapId(info["id"]), name: info["name"], hostname: info["hostname"] };
}
