/**
 * The cluster as the master's event stream describes it: frameworks, agents and tasks by id,
 * built from a `SUBSCRIBED` snapshot (or a polled state) and changed event by event.
 *
 * An event is first planned (checked, and the task keys it changes listed) and only then
 * applied, so a bad event changes nothing: it is never half applied. What the stream does
 * not carry (a framework's pid, the leader) is kept by the caller.
 *
 * @module
 */

import { quote } from "../log/log-text.ts";
import { changedIds, sameAgent, sameFramework, sameMap, samePid, sameTaskList } from "./_view-equality.ts";
import type { OperatorEvent, StreamSnapshot, StreamTask } from "./operator-event.ts";
import type {
  HostPort,
  MesosAgent,
  MesosFramework,
  MesosState,
  MesosStatus,
  MesosTask,
} from "./state-model.ts";

/** A framework as the stream knows it (v1 carries no pid). */
export interface ViewFramework {
  readonly id: string;
  readonly name: string;
  readonly hostname: string;
}

/** What an event changes: task keys whose records must be made again, and the non-task records. */
export interface ViewChange {
  readonly tasks: readonly string[];
  readonly base: boolean;
  /** Warnings about the event that do not stop it (a task of a framework not known yet). */
  readonly warnings: readonly string[];
}

export type Plan =
  | { readonly ok: true; readonly change: ViewChange }
  | { readonly ok: false; readonly error: string };

/** Task states after which a task never runs again (TASK_UNREACHABLE may come back). */
const TERMINAL: ReadonlySet<string> = new Set([
  "TASK_FINISHED",
  "TASK_FAILED",
  "TASK_KILLED",
  "TASK_LOST",
  "TASK_ERROR",
  "TASK_DROPPED",
  "TASK_GONE",
  "TASK_GONE_BY_OPERATOR",
]);

/** Statuses kept per task: health checks can add one a second, for ever. */
const MAX_STATUSES = 32;

/** The key of a task: its framework and id (a task id is unique within its framework). */
export function taskKey(frameworkId: string, taskId: string): string {
  return `${frameworkId}\u0000${taskId}`;
}

export class ClusterView {
  readonly frameworks = new Map<string, ViewFramework>();
  readonly agents = new Map<string, MesosAgent>();
  /** Tasks by key; a list because a state document may hold one id twice (the fixture does). */
  readonly tasks = new Map<string, StreamTask[]>();
  readonly #byAgent = new Map<string, Set<string>>();
  readonly #byFramework = new Map<string, Set<string>>();

  /** The view of a `SUBSCRIBED` snapshot. Tasks in a terminal state are left out: they give no records. */
  static fromSnapshot(snapshot: StreamSnapshot): ClusterView {
    const view = new ClusterView();
    for (const f of snapshot.frameworks) view.frameworks.set(f.id, f);
    for (const a of snapshot.agents) view.agents.set(a.id, a);
    for (const t of snapshot.tasks) if (!TERMINAL.has(t.task.state)) view.#addTask(t);
    return view;
  }

  /** The view of a polled state (frameworks keyed by their `id`). */
  static fromState(state: MesosState): ClusterView {
    const view = new ClusterView();
    for (const f of state.frameworks) {
      view.frameworks.set(f.id, { id: f.id, name: f.name, hostname: f.hostname });
      for (const task of f.tasks) if (!TERMINAL.has(task.state)) view.#addTask({ frameworkId: f.id, task });
    }
    for (const a of state.slaves) view.agents.set(a.id, a);
    return view;
  }

  /** Checks `event` against the view and lists what it changes; changes nothing. */
  plan(event: OperatorEvent): Plan {
    switch (event.type) {
      case "TASK_ADDED": {
        const { frameworkId, task } = event.task;
        const warnings: string[] = [];
        if (!this.frameworks.has(frameworkId)) {
          warnings.push(
            `TASK_ADDED ${quote(task.id)} names framework ${quote(frameworkId)}, not known yet; no records until it is`,
          );
        }
        return { ok: true, change: { tasks: [taskKey(frameworkId, task.id)], base: false, warnings } };
      }
      case "TASK_UPDATED": {
        const key = taskKey(event.frameworkId, event.taskId);
        if (!this.tasks.has(key)) {
          // A late update for a task already gone (it left the view at its terminal state).
          if (TERMINAL.has(event.state))
            return { ok: true, change: { tasks: [], base: false, warnings: [] } };
          return {
            ok: false,
            error: `TASK_UPDATED for task ${quote(event.taskId)} of framework ${quote(event.frameworkId)}, never seen`,
          };
        }
        return { ok: true, change: { tasks: [key], base: false, warnings: [] } };
      }
      case "AGENT_ADDED": {
        const before = this.agents.get(event.agent.id);
        const moved = before === undefined || !samePid(before.pid, event.agent.pid);
        return {
          ok: true,
          change: {
            tasks: moved ? this.#keysOf(this.#byAgent, event.agent.id) : [],
            base: true,
            warnings: [],
          },
        };
      }
      case "AGENT_REMOVED":
        if (!this.agents.has(event.agentId))
          return { ok: false, error: `AGENT_REMOVED for agent ${quote(event.agentId)}, never seen` };
        return {
          ok: true,
          change: { tasks: this.#keysOf(this.#byAgent, event.agentId), base: true, warnings: [] },
        };
      case "FRAMEWORK_ADDED":
      case "FRAMEWORK_UPDATED": {
        const before = this.frameworks.get(event.framework.id);
        const renamed = before === undefined || before.name !== event.framework.name;
        const tasks = renamed ? this.#keysOf(this.#byFramework, event.framework.id) : [];
        return { ok: true, change: { tasks, base: true, warnings: [] } };
      }
      case "FRAMEWORK_REMOVED":
        if (!this.frameworks.has(event.frameworkId)) {
          return {
            ok: false,
            error: `FRAMEWORK_REMOVED for framework ${quote(event.frameworkId)}, never seen`,
          };
        }
        return {
          ok: true,
          change: { tasks: this.#keysOf(this.#byFramework, event.frameworkId), base: true, warnings: [] },
        };
      case "SUBSCRIBED":
        return { ok: false, error: "a second SUBSCRIBED on one stream" };
      case "HEARTBEAT":
      case "UNKNOWN":
        return { ok: true, change: { tasks: [], base: false, warnings: [] } };
    }
  }

  /** Applies an event that {@link plan} accepted. */
  apply(event: OperatorEvent): void {
    switch (event.type) {
      case "TASK_ADDED":
        this.#removeTask(taskKey(event.task.frameworkId, event.task.task.id));
        this.#addTask(event.task);
        return;
      case "TASK_UPDATED": {
        const key = taskKey(event.frameworkId, event.taskId);
        const tasks = this.tasks.get(key);
        if (tasks === undefined) return;
        // A finished task gives no records; Mesos moves it to the completed tasks as well.
        if (TERMINAL.has(event.state)) {
          this.#removeTask(key);
          return;
        }
        this.tasks.set(
          key,
          tasks.map((t) => ({
            frameworkId: t.frameworkId,
            task: updated(t.task, event.state, event.status),
          })),
        );
        return;
      }
      case "AGENT_ADDED":
        this.agents.set(event.agent.id, event.agent);
        return;
      case "AGENT_REMOVED":
        this.agents.delete(event.agentId);
        return;
      case "FRAMEWORK_ADDED":
      case "FRAMEWORK_UPDATED":
        this.frameworks.set(event.framework.id, event.framework);
        return;
      case "FRAMEWORK_REMOVED":
        this.frameworks.delete(event.frameworkId);
        for (const key of this.#keysOf(this.#byFramework, event.frameworkId)) this.#removeTask(key);
        return;
      default:
        return;
    }
  }

  /**
   * What turns this view into `other`: task keys that differ (added, removed or changed, or
   * whose framework's name or agent's presence or pid differs: a task's records depend on
   * them) and whether frameworks or agents differ. Keys in `skip` are left out.
   */
  diff(other: ClusterView, skip: ReadonlySet<string> = new Set()): ViewChange {
    const renamed = changedIds(this.frameworks, other.frameworks, (a, b) => a.name === b.name);
    const moved = changedIds(this.agents, other.agents, (a, b) => samePid(a.pid, b.pid));
    const tasks: string[] = [];
    for (const [key, mine] of this.tasks) {
      if (skip.has(key)) continue;
      const theirs = other.tasks.get(key);
      if (
        theirs === undefined ||
        !sameTaskList(mine, theirs) ||
        mine.some((t) => renamed.has(t.frameworkId) || moved.has(t.task.slaveId))
      )
        tasks.push(key);
    }
    for (const key of other.tasks.keys()) if (!this.tasks.has(key) && !skip.has(key)) tasks.push(key);
    const base =
      !sameMap(this.frameworks, other.frameworks, sameFramework) ||
      !sameMap(this.agents, other.agents, sameAgent);
    return { tasks, base, warnings: [] };
  }

  /** Takes the tasks under `keys`, the frameworks and the agents of `other` (a resync). */
  adopt(other: ClusterView, keys: readonly string[]): void {
    this.frameworks.clear();
    for (const [id, f] of other.frameworks) this.frameworks.set(id, f);
    this.agents.clear();
    for (const [id, a] of other.agents) this.agents.set(id, a);
    for (const key of keys) {
      this.#removeTask(key);
      const tasks = other.tasks.get(key);
      if (tasks !== undefined) for (const t of tasks) this.#addTask(t);
    }
  }

  /** The frameworks, without tasks, with the pids a poll found (by framework id). */
  frameworkList(pids: ReadonlyMap<string, HostPort | undefined>): MesosFramework[] {
    return [...this.frameworks.values()].map((f) => ({
      id: f.id,
      name: f.name,
      pid: pids.get(f.id),
      hostname: f.hostname,
      tasks: [],
    }));
  }

  /** The whole view as a state document would give it (frameworks in order, their tasks in order). */
  toState(leader: string, pids: ReadonlyMap<string, HostPort | undefined>): MesosState {
    const byFramework = new Map<string, MesosTask[]>();
    for (const list of this.tasks.values()) {
      for (const t of list) {
        const tasks = byFramework.get(t.frameworkId);
        if (tasks === undefined) byFramework.set(t.frameworkId, [t.task]);
        else tasks.push(t.task);
      }
    }
    const frameworks = this.frameworkList(pids).map((f) => ({ ...f, tasks: byFramework.get(f.id) ?? [] }));
    return { leader, frameworks, slaves: [...this.agents.values()] };
  }

  #addTask(t: StreamTask): void {
    const key = taskKey(t.frameworkId, t.task.id);
    const list = this.tasks.get(key);
    if (list === undefined) this.tasks.set(key, [t]);
    else list.push(t);
    index(this.#byAgent, t.task.slaveId, key);
    index(this.#byFramework, t.frameworkId, key);
  }

  #removeTask(key: string): void {
    const list = this.tasks.get(key);
    if (list === undefined) return;
    this.tasks.delete(key);
    for (const t of list) {
      unindex(this.#byAgent, t.task.slaveId, key);
      unindex(this.#byFramework, t.frameworkId, key);
    }
  }

  #keysOf(by: Map<string, Set<string>>, id: string): string[] {
    return [...(by.get(id) ?? [])];
  }
}

function updated(task: MesosTask, state: string, status: MesosStatus | undefined): MesosTask {
  if (status === undefined) return { ...task, state };
  const statuses = [...task.statuses, status];
  return {
    ...task,
    state,
    statuses: statuses.length > MAX_STATUSES ? statuses.slice(-MAX_STATUSES) : statuses,
  };
}

function index(by: Map<string, Set<string>>, id: string, key: string): void {
  const keys = by.get(id);
  if (keys === undefined) by.set(id, new Set([key]));
  else keys.add(key);
}

function unindex(by: Map<string, Set<string>>, id: string, key: string): void {
  const keys = by.get(id);
  if (keys === undefined) return;
  keys.delete(key);
  if (keys.size === 0) by.delete(id);
}
