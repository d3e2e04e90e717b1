/**
 * The operator API v1 events that turn one `/master/state` document into another, so that
 * every state change of the fake master (a whole new document included) drives the stream.
 *
 * Identity: a framework is its `id` (its `name` in documents without ids), an agent its `id`,
 * a task its framework, its `id` and which occurrence of that id it is in the framework's
 * `tasks` (the upstream fixture has two tasks sharing one id).
 *
 * Rules, in the order the events are emitted (what tasks refer to is added first and removed
 * last):
 *
 * 1. `FRAMEWORK_ADDED` for each new framework; `FRAMEWORK_UPDATED` for each framework whose v1
 *    form changed (name, user, hostname, role, active, times, ...; tasks do not count).
 * 2. `AGENT_ADDED` for each new agent, and for each agent whose v1 form changed (v1 has no
 *    agent update: a real master announces a re-registered agent as added again).
 * 3. `TASK_ADDED` for each new task, carrying the task as it is in the new document (its state
 *    and statuses included); no extra `TASK_UPDATED` follows.
 * 4. `TASK_UPDATED` for each task that gained statuses or changed `state`, once per task: the
 *    status is the latest gained one (greatest timestamp, the later one on a tie); with a state
 *    change and no gained status, a status `{state, timestamp: now}` is made up. Statuses that
 *    were dropped, and changes of other task fields (v1 has no event for those), emit nothing.
 * 5. `TASK_UPDATED` for each task that left `tasks` while not terminal: if the new document
 *    lists it under `completed_tasks` (of any framework), with its state and latest status
 *    there; otherwise to `TASK_KILLED` with a made-up status. A task that was already terminal
 *    (for example killed, then removed) leaves silently, as in Mesos.
 * 6. `AGENT_REMOVED` for each agent gone, then `FRAMEWORK_REMOVED` for each framework gone.
 *
 * @module
 */
import {
  agentsOf,
  frameworkKey,
  frameworksOf,
  type StateStatus,
  type StateTask,
  TERMINAL_STATES,
  taskUpdatedEvent,
  type V1Event,
  v1Agent,
  v1Framework,
  v1FrameworkInfo,
  v1Task,
} from "./_fake-master-v1.ts";

interface Placed {
  readonly task: StateTask;
  readonly frameworkId: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

function tasksByKey(doc: unknown, field: "tasks" | "completed_tasks"): Map<string, Placed> {
  const out = new Map<string, Placed>();
  const frameworks = [
    ...frameworksOf(doc),
    ...(field === "completed_tasks" && isObject(doc) && Array.isArray(doc["completed_frameworks"])
      ? frameworksOf({ frameworks: doc["completed_frameworks"] })
      : []),
  ];
  for (const f of frameworks) {
    const frameworkId = frameworkKey(f);
    const seen = new Map<string, number>();
    const tasks = Array.isArray(f[field]) ? (f[field] as StateTask[]) : [];
    for (const task of tasks.filter(isObject)) {
      const n = seen.get(task.id) ?? 0;
      seen.set(task.id, n + 1);
      const key = `${frameworkId}\n${task.id}\n${n}`;
      if (!out.has(key)) out.set(key, { task, frameworkId });
    }
  }
  return out;
}

const statusesOf = (task: StateTask): StateStatus[] =>
  Array.isArray(task.statuses)
    ? (task.statuses as unknown[]).filter((s): s is StateStatus => isObject(s))
    : [];

/** The statuses of `next` that `prev` does not have (as a multiset, compared as JSON). */
function gainedStatuses(prev: StateTask, next: StateTask): StateStatus[] {
  const left = new Map<string, number>();
  for (const s of statusesOf(prev)) left.set(JSON.stringify(s), (left.get(JSON.stringify(s)) ?? 0) + 1);
  return statusesOf(next).filter((s) => {
    const k = JSON.stringify(s);
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    return n === 0;
  });
}

/** The latest of `statuses`: greatest timestamp, the later entry on a tie. */
function latest(statuses: readonly StateStatus[]): StateStatus | undefined {
  let best: StateStatus | undefined;
  for (const s of statuses) if (!best || !(Number(s.timestamp) < Number(best.timestamp))) best = s;
  return best;
}

/** The events that turn `prev` into `next` (see the module doc for the rules). */
export function diffEvents(prev: unknown, next: unknown, nowSeconds: number): V1Event[] {
  const events: V1Event[] = [];
  const prevFrameworks = new Map(frameworksOf(prev).map((f) => [frameworkKey(f), f]));
  const nextFrameworks = new Map(frameworksOf(next).map((f) => [frameworkKey(f), f]));
  for (const [key, f] of nextFrameworks) {
    const old = prevFrameworks.get(key);
    if (!old) events.push({ type: "FRAMEWORK_ADDED", framework_added: { framework: v1Framework(f) } });
    else if (!same(v1Framework(old), v1Framework(f))) {
      events.push({ type: "FRAMEWORK_UPDATED", framework_updated: { framework: v1Framework(f) } });
    }
  }

  const prevAgents = new Map(agentsOf(prev).map((a) => [a.id, a]));
  const nextAgents = new Map(agentsOf(next).map((a) => [a.id, a]));
  for (const [id, a] of nextAgents) {
    const old = prevAgents.get(id);
    if (!old || !same(v1Agent(old), v1Agent(a))) {
      events.push({ type: "AGENT_ADDED", agent_added: { agent: v1Agent(a) } });
    }
  }

  const prevTasks = tasksByKey(prev, "tasks");
  const nextTasks = tasksByKey(next, "tasks");
  for (const [key, { task, frameworkId }] of nextTasks) {
    if (!prevTasks.has(key)) {
      events.push({ type: "TASK_ADDED", task_added: { task: v1Task(task, frameworkId) } });
    }
  }
  for (const [key, { task, frameworkId }] of nextTasks) {
    const old = prevTasks.get(key)?.task;
    if (!old) continue;
    const status =
      latest(gainedStatuses(old, task)) ??
      (old.state !== task.state ? { state: task.state, timestamp: nowSeconds } : undefined);
    if (status) events.push(taskUpdatedEvent(task, frameworkId, status));
  }
  const completed = tasksByKey(next, "completed_tasks");
  const completedById = new Map([...completed.values()].map((p) => [`${p.frameworkId}\n${p.task.id}`, p]));
  for (const [key, { task, frameworkId }] of prevTasks) {
    if (nextTasks.has(key) || TERMINAL_STATES.has(task.state)) continue;
    const done = completedById.get(`${frameworkId}\n${task.id}`)?.task;
    const status = (done && latest(statusesOf(done))) ?? { state: "TASK_KILLED", timestamp: nowSeconds };
    const final: StateTask = done ?? { ...task, state: "TASK_KILLED" };
    events.push(taskUpdatedEvent(final, frameworkId, status));
  }

  for (const id of prevAgents.keys()) {
    if (!nextAgents.has(id))
      events.push({ type: "AGENT_REMOVED", agent_removed: { agent_id: { value: id } } });
  }
  for (const [key, f] of prevFrameworks) {
    if (!nextFrameworks.has(key)) {
      events.push({ type: "FRAMEWORK_REMOVED", framework_removed: { framework_info: v1FrameworkInfo(f) } });
    }
  }
  return events;
}
