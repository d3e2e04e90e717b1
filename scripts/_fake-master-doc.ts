/**
 * Changes to a `/master/state` document, each returning a changed copy (the original is never
 * touched), for the fake master's task, agent and framework methods.
 *
 * Frameworks are named by `id` or, failing that, by `name`; tasks and agents by `id` (the
 * first task with that id when several share it).
 *
 * @module
 */
import type { StateAgent, StateFramework, StateStatus, StateTask } from "./_fake-master-v1.ts";

type Json = Record<string, unknown>;
type Doc = Json & { frameworks?: Json[]; slaves?: Json[]; completed_frameworks?: Json[] };

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** A deep copy of `doc` (an empty document for anything but an object). */
export function copyDoc(doc: unknown): Doc {
  return isObject(doc) ? (structuredClone(doc) as Doc) : {};
}

function framework(doc: Doc, ref: string): Json {
  const all = objects(doc.frameworks);
  const found = all.find((f) => f["id"] === ref) ?? all.find((f) => f["name"] === ref);
  if (!found) throw new Error(`fake master: no framework "${ref}"`);
  return found;
}

function taskPlace(doc: Doc, taskId: string): { framework: Json; tasks: Json[]; index: number } {
  for (const f of objects(doc.frameworks)) {
    const tasks = Array.isArray(f["tasks"]) ? (f["tasks"] as Json[]) : [];
    const index = tasks.findIndex((t) => isObject(t) && t["id"] === taskId);
    if (index >= 0) return { framework: f, tasks, index };
  }
  throw new Error(`fake master: no task "${taskId}"`);
}

function listField(owner: Json, field: string): Json[] {
  if (!Array.isArray(owner[field])) owner[field] = [];
  return owner[field] as Json[];
}

/** The framework named `ref` (id, else name) in `doc`, if any. */
export function findFramework(doc: unknown, ref: string): StateFramework | undefined {
  try {
    return isObject(doc) ? (framework(doc, ref) as StateFramework) : undefined;
  } catch {
    return undefined;
  }
}

/** `task` (copied) appended to the `tasks` of framework `ref`. */
export function launched(doc: unknown, ref: string, task: StateTask): Doc {
  const next = copyDoc(doc);
  listField(framework(next, ref), "tasks").push(structuredClone(task) as Json);
  return next;
}

/** Task `taskId` with `state` set and `{state, timestamp: now, ...status}` appended to `statuses`. */
export function updated(
  doc: unknown,
  taskId: string,
  state: string,
  status: Partial<StateStatus> | undefined,
  nowSeconds: number,
): Doc {
  const next = copyDoc(doc);
  const { tasks, index } = taskPlace(next, taskId);
  const task = tasks[index] as Json;
  task["state"] = state;
  listField(task, "statuses").push({ state, timestamp: nowSeconds, ...structuredClone(status ?? {}) });
  return next;
}

/** Task `taskId` moved from its framework's `tasks` to its `completed_tasks`, unchanged. */
export function removed(doc: unknown, taskId: string): Doc {
  const next = copyDoc(doc);
  const { framework: f, tasks, index } = taskPlace(next, taskId);
  const [task] = tasks.splice(index, 1);
  if (task) listField(f, "completed_tasks").push(task);
  return next;
}

/** `agent` (copied) appended to `slaves`. */
export function agentAdded(doc: unknown, agent: StateAgent): Doc {
  const next = copyDoc(doc);
  listField(next, "slaves").push(structuredClone(agent) as Json);
  return next;
}

/** Agent `agentId` dropped from `slaves` (its tasks stay where they are). */
export function agentRemoved(doc: unknown, agentId: string): Doc {
  const next = copyDoc(doc);
  const agents = listField(next, "slaves");
  const index = agents.findIndex((a) => isObject(a) && a["id"] === agentId);
  if (index < 0) throw new Error(`fake master: no agent "${agentId}"`);
  agents.splice(index, 1);
  return next;
}

/** `f` (copied) appended to `frameworks`. */
export function frameworkAdded(doc: unknown, f: StateFramework): Doc {
  const next = copyDoc(doc);
  listField(next, "frameworks").push(structuredClone(f) as Json);
  return next;
}

/** Framework `ref` with the fields of `patch` replaced. */
export function frameworkUpdated(doc: unknown, ref: string, patch: Partial<StateFramework>): Doc {
  const next = copyDoc(doc);
  Object.assign(framework(next, ref), structuredClone(patch));
  return next;
}

/**
 * Framework `ref` moved to `completed_frameworks` as Mesos does on teardown: inactive, every
 * task not yet terminal killed (state `TASK_KILLED`, a killed status at `now`), all of its
 * tasks then under `completed_tasks`.
 */
export function frameworkRemoved(
  doc: unknown,
  ref: string,
  nowSeconds: number,
  terminal: ReadonlySet<string>,
) {
  const next = copyDoc(doc);
  const f = framework(next, ref);
  next.frameworks = objects(next.frameworks).filter((x) => x !== f);
  const done = listField(f, "completed_tasks");
  for (const task of objects(f["tasks"])) {
    if (!terminal.has(String(task["state"]))) {
      task["state"] = "TASK_KILLED";
      listField(task, "statuses").push({ state: "TASK_KILLED", timestamp: nowSeconds });
    }
    done.push(task);
  }
  f["tasks"] = [];
  f["active"] = false;
  listField(next, "completed_frameworks").push(f);
  return next;
}

/** Where each task of a document is, by id (the first task with that id), for in-place changes. */
const placesOf = new WeakMap<object, Map<string, { framework: Json; task: Json }>>();

function places(doc: Doc): Map<string, { framework: Json; task: Json }> {
  let map = placesOf.get(doc);
  if (map === undefined) {
    map = new Map();
    for (const f of objects(doc.frameworks)) {
      for (const task of objects(f["tasks"])) {
        const id = task["id"];
        if (typeof id === "string" && !map.has(id)) map.set(id, { framework: f, task });
      }
    }
    placesOf.set(doc, map);
  }
  return map;
}

/**
 * {@link launched}, changing `doc` itself (option `inPlace` of the fake master: large
 * documents without a copy per change). Returns the framework the task went to.
 */
export function launchInPlace(doc: unknown, ref: string, task: StateTask): StateFramework {
  if (!isObject(doc)) throw new Error("fake master: the document is not an object");
  const f = framework(doc, ref);
  const copy = structuredClone(task) as Json;
  listField(f, "tasks").push(copy);
  const map = places(doc);
  if (!map.has(task.id)) map.set(task.id, { framework: f, task: copy });
  return f as StateFramework;
}

/** {@link updated}, changing `doc` itself; returns the task, its framework and the status appended. */
export function updateInPlace(
  doc: unknown,
  taskId: string,
  state: string,
  status: Partial<StateStatus> | undefined,
  nowSeconds: number,
): { task: StateTask; framework: StateFramework; status: StateStatus } {
  if (!isObject(doc)) throw new Error("fake master: the document is not an object");
  const place = places(doc).get(taskId);
  if (place === undefined) throw new Error(`fake master: no task "${taskId}"`);
  const appended = { state, timestamp: nowSeconds, ...structuredClone(status ?? {}) };
  place.task["state"] = state;
  listField(place.task, "statuses").push(appended);
  return {
    task: place.task as StateTask,
    framework: place.framework as StateFramework,
    status: appended as StateStatus,
  };
}
