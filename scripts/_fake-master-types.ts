/**
 * The public types of one fake Mesos master: its options, its failure behaviours and the
 * handle {@link FakeMaster} that tests drive it with.
 *
 * @module
 */
import type { OperatorApiMode } from "./_fake-master-stream.ts";
import type { StateAgent, StateFramework, StateStatus, StateTask } from "./_fake-master-v1.ts";

/** What the state endpoints do on the next requests. */
export type FakeBehaviour =
  | { readonly kind: "ok" }
  /** Answer normally after `ms` milliseconds. */
  | { readonly kind: "delay"; readonly ms: number }
  /** Answer with this HTTP status and a short text body. */
  | { readonly kind: "status"; readonly status: number }
  /** A 200 whose body is the first half of the document (Content-Length matches the cut). */
  | { readonly kind: "truncated" }
  /** A 200 whose body is not JSON at all. */
  | { readonly kind: "invalid-json" }
  /** Never answer (until the master stops). */
  | { readonly kind: "hang" }
  /** 307 to this URL (absolute, or `//host:port/...`). */
  | { readonly kind: "redirect"; readonly location: string };

export interface FakeMasterOptions {
  /** The state document (already parsed). `leader` and `pid` are rewritten when served. */
  readonly state: unknown;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** `"self"` (default) or `host:port` of the leader to announce. */
  readonly leader?: string;
  /** Serve HTTPS with these PEM files. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** Require `Authorization: Basic ...` with these credentials (401 otherwise). */
  readonly basicAuth?: { readonly principal: string; readonly secret: string };
  /** Require `Authorization: token=<t>` for a token this predicate accepts (401 otherwise). */
  readonly acceptToken?: (token: string) => boolean;
  readonly behaviour?: FakeBehaviour;
  readonly version?: string;
  /** Serve the operator API v1 at `/api/v1` (`true`, default), or answer it with a status. */
  readonly operatorApi?: OperatorApiMode;
  /** `heartbeat_interval_seconds` of the `SUBSCRIBE` stream (default 15; fractions allowed). */
  readonly heartbeatSeconds?: number;
  /**
   * `launchTask` and `updateTask` change the document in place and send their one event
   * without copying and diffing the whole document (for benchmark states of 100,000 tasks,
   * where a copy and a diff take seconds). The events are those the diff would send; only
   * documents returned by `document()` earlier see the change too. Default false.
   */
  readonly inPlace?: boolean;
}

/** One request as the fake master saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * A running fake master. Every state change goes through the state document, so the state
 * endpoints and the event stream always agree; each change emits the events of
 * `diffEvents` (scripts/_fake-master-diff.ts) to the `SUBSCRIBE` streams.
 */
export interface FakeMaster {
  readonly host: string;
  readonly port: number;
  /** `host:port`. */
  readonly hostPort: string;
  /** `http://host:port` or `https://host:port`. */
  readonly url: string;
  /** Every request received so far, oldest first. */
  readonly requests: readonly SeenRequest[];
  /** Announce `"self"` or another master (`host:port`) as the leader from now on. */
  setLeader(leader: string): void;
  /** The leader currently announced, `host:port`. */
  leader(): string;
  /** Replaces the document; subscribers get the events that turn the old one into it. */
  setState(state: unknown): void;
  /** The current state document (as given, without the `leader`/`pid` rewrite). */
  document(): unknown;
  setBehaviour(behaviour: FakeBehaviour): void;

  /** Appends `task` to the `tasks` of framework `frameworkId` (id, or name); `TASK_ADDED`. */
  launchTask(frameworkId: string, task: StateTask): void;
  /**
   * Sets the task's `state` and appends `{state, timestamp: now, ...status}` to its
   * `statuses`; `TASK_UPDATED`. `updateTask(id, "TASK_KILLED")` kills: the task stays in
   * `tasks` as Mesos keeps it until it is moved to completed ({@link removeTask}).
   */
  updateTask(taskId: string, state: string, status?: Partial<StateStatus>): void;
  /** Moves the task from `tasks` to `completed_tasks` unchanged, without any event. */
  removeTask(taskId: string): void;
  /** Appends `agent` to `slaves`; `AGENT_ADDED`. */
  addAgent(agent: StateAgent): void;
  /** Drops the agent from `slaves`; `AGENT_REMOVED`. */
  removeAgent(agentId: string): void;
  /** Appends `framework` to `frameworks`; `FRAMEWORK_ADDED` (and `TASK_ADDED` for its tasks). */
  addFramework(framework: StateFramework): void;
  /** Replaces fields of framework `frameworkId` (id, or name); `FRAMEWORK_UPDATED` if v1 sees a change. */
  updateFramework(frameworkId: string, patch: Partial<StateFramework>): void;
  /**
   * Tears framework `frameworkId` down: its running tasks are killed (`TASK_UPDATED`), it moves
   * to `completed_frameworks`; `FRAMEWORK_REMOVED`.
   */
  removeFramework(frameworkId: string): void;

  /** Breaks every `SUBSCRIBE` connection off (the client's body read fails). */
  cutStreams(): void;
  /** While on, current subscribers get no heartbeat and no event (events are held, sent when off). */
  stallStream(on: boolean): void;
  /** Writes raw bytes to every subscriber (bad frames, partial records). */
  sendRaw(bytes: Uint8Array | string): void;
  /** Number of open `SUBSCRIBE` streams. */
  subscriberCount(): number;
  /** Switches the operator API on (`true`) or off (`false` = 404, or a status) from now on. */
  setOperatorApi(mode: OperatorApiMode): void;

  /** Stops listening, ends every stream and drops every open connection (hanging requests included). */
  stop(): Promise<void>;
}
