/**
 * The typed events of the Mesos operator API v1 `SUBSCRIBE` stream, mapped onto the state
 * model (`state-model.ts`), as `operator-event.ts` parses them.
 *
 * @module
 */

import type { MesosAgent, MesosStatus, MesosTask } from "./state-model.ts";

/**
 * A framework as the stream names it. The v1 `FrameworkInfo` carries no scheduler pid, so
 * only the host is known (docs/spec.md §4.8: a framework without pid is addressed by its hostname).
 */
export interface StreamFramework {
  /** `framework_info.id.value`; "" when absent. */
  readonly id: string;
  readonly name: string;
  readonly hostname: string;
}

/** A task with the id of the framework it belongs to (`framework_id.value`, "" when absent). */
export interface StreamTask {
  readonly frameworkId: string;
  readonly task: MesosTask;
}

/** The cluster as `SUBSCRIBED` reports it: only `get_state.get_tasks.tasks` count as tasks. */
export interface StreamSnapshot {
  readonly frameworks: readonly StreamFramework[];
  readonly agents: readonly MesosAgent[];
  readonly tasks: readonly StreamTask[];
}

/** One event of the stream. Event types this reader does not know are `UNKNOWN`: the caller warns. */
export type OperatorEvent =
  | {
      readonly type: "SUBSCRIBED";
      readonly snapshot: StreamSnapshot;
      /** `heartbeat_interval_seconds`; undefined when absent or not a positive number. */
      readonly heartbeatSeconds: number | undefined;
    }
  | { readonly type: "TASK_ADDED"; readonly task: StreamTask }
  | {
      readonly type: "TASK_UPDATED";
      readonly frameworkId: string;
      /** `status.task_id.value`; "" when the update has no status. */
      readonly taskId: string;
      /** `status.agent_id.value`; "" when absent. */
      readonly agentId: string;
      /** The task's current state (`state`; the status's state when `state` is absent). */
      readonly state: string;
      /** The status update itself; undefined when the event carries none. */
      readonly status: MesosStatus | undefined;
    }
  | { readonly type: "AGENT_ADDED"; readonly agent: MesosAgent }
  | { readonly type: "AGENT_REMOVED"; readonly agentId: string }
  | { readonly type: "FRAMEWORK_ADDED" | "FRAMEWORK_UPDATED"; readonly framework: StreamFramework }
  | { readonly type: "FRAMEWORK_REMOVED"; readonly frameworkId: string }
  | { readonly type: "HEARTBEAT" }
  | { readonly type: "UNKNOWN"; readonly name: string };

/** What {@link OperatorEvent} parsing gives: an event with warnings, or one line saying what was wrong. */
export type OperatorEventResult =
  | { readonly ok: true; readonly event: OperatorEvent; readonly warnings: string[] }
  | { readonly ok: false; readonly error: string };
