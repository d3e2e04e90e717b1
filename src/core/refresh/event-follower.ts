/**
 * Keeps the records fresh from the master's event stream (docs/architecture.md): the stream
 * builds a {@link ClusterView}, each event changes the records of the task keys it names
 * ({@link LiveRecords}), and a burst of events is published as one snapshot a few
 * milliseconds later. Queries never wait: changes are applied and published in one
 * synchronous step, and a rebuild from scratch runs in slices off to the side.
 *
 * What the stream does not carry comes from the poll, which keeps running every
 * `refreshSeconds`: frameworks' pids (hence their A records), the leader and masters, and
 * the host look-ups. Each poll is also a reconciliation: names whose records differ from the
 * polled ones are counted and logged as a summary, and the polled state wins.
 *
 * @module
 */

import type { Config } from "../config/config.ts";
import { escapeControls, quote } from "../log/log-text.ts";
import type { WarnLogger } from "../log/logger.ts";
import type { Authenticator } from "../mesos/auth.ts";
import { ClusterView } from "../mesos/cluster-view.ts";
import { EventStream, type StreamDown } from "../mesos/event-stream.ts";
import type { OperatorEvent, StreamSnapshot } from "../mesos/operator-event.ts";
import type { HostPort, MesosState } from "../mesos/state-model.ts";
import type { Platform, TlsClientOptions } from "../platform.ts";
import { LiveRecords } from "../records/live-records.ts";
import { diffRecords } from "../records/record-diff.ts";
import type { RecordSet } from "../records/record-set.ts";
import { generateRecords } from "../records/records.ts";
import type { SnapshotStore } from "../records/snapshot.ts";
import { type BaseUnitInput, type TaskUnitInput, UnitGenerator } from "../records/unit-records.ts";
import { realTimers, type Timers } from "../time/timers.ts";
import { inputOf, sameResolved } from "./_unit-inputs.ts";

/** What a successful poll found, handed over by the refresher. */
export interface PollResult {
  readonly state: MesosState;
  readonly records: RecordSet;
  readonly resolved: ReadonlyMap<string, readonly string[]>;
  readonly masters: readonly string[];
  readonly localAddresses: readonly string[];
  /** `host:port` of the master that answered. */
  readonly master: string;
}

/** Observations for metrics. */
export interface FollowerObserver {
  connected?(up: boolean): void;
  message?(type: string): void;
  down?(kind: StreamDown): void;
  differences?(count: number): void;
  badInput?(kind: string): void;
}

export interface FollowerDeps {
  readonly platform: Pick<Platform, "httpStream">;
  readonly config: Config;
  readonly store: SnapshotStore;
  readonly log: WarnLogger;
  readonly now?: () => number;
  readonly timers?: {
    setTimeout(callback: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
  };
  readonly random?: () => number;
  readonly observer?: FollowerObserver;
}

/** Events arriving within this many milliseconds are published together. */
const COALESCE_MS = 2;
/** Task keys generated between two yields to the event loop in a rebuild. */
const SLICE = 2000;
const MAX_LOGGED = 20;

export class EventFollower {
  readonly #deps: FollowerDeps;
  readonly #now: () => number;
  readonly #timers: Timers;
  #stream: EventStream | undefined;
  #master = "";
  #poll: PollResult | undefined;
  #pids = new Map<string, HostPort | undefined>();
  #generator: UnitGenerator | undefined;
  #view: ClusterView | undefined;
  #live: LiveRecords | undefined;
  /** Old inputs of the task keys changed since the last publish. */
  #pending = new Map<string, TaskUnitInput | undefined>();
  #pendingBase: BaseUnitInput | undefined;
  #publishTimer: unknown;
  /** While a rebuild runs, events wait here. */
  #queue: OperatorEvent[] | undefined;
  /** The newest rebuild; an older one still running stops at its next slice. */
  #rebuilds = 0;
  /** Task keys changed by events since the last poll began. */
  #touchedKeys = new Set<string>();
  #lastDown = "";
  #lastEventMs = 0;
  #stopped = false;

  constructor(deps: FollowerDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#timers = deps.timers ?? realTimers;
  }

  /** `events` while records come from the stream, `polling` otherwise (for `/ready`). */
  get source(): "events" | "polling" {
    return this.#live !== undefined && this.#stream?.connected === true ? "events" : "polling";
  }

  /** Milliseconds since the epoch of the last message on the stream; 0 before any. */
  get lastEventMs(): number {
    return this.#lastEventMs;
  }

  /** HTTP setup is the refresher's; it hands it over once known. */
  configure(auth: Authenticator, tls: TlsClientOptions): void {
    if (this.#stream !== undefined) return;
    const { platform, config } = this.#deps;
    this.#stream = new EventStream({
      platform,
      config,
      auth,
      tls,
      master: () => this.#master,
      ...(this.#deps.timers ? { timers: this.#deps.timers } : {}),
      ...(this.#deps.random ? { random: this.#deps.random } : {}),
      handlers: {
        subscribed: (snapshot, master) => this.#subscribed(snapshot, master),
        event: (event) => this.#event(event),
        batchEnd: () => this.#schedulePublish(),
        down: (kind, reason) => this.#down(kind, reason),
        unsupported: (master, status) => this.#unsupported(master, status),
        message: (type) => {
          this.#lastEventMs = this.#now();
          this.#deps.observer?.message?.(type);
        },
        warnings: (lines) => this.#warn(lines),
      },
    });
  }

  /** A poll is starting: changes from now on are newer than what it will return. */
  pollStarted(): void {
    this.#touchedKeys = new Set();
    this.#live?.trackTouched();
  }

  /**
   * A poll succeeded. Returns true when the follower published (it reconciled its records);
   * false when the refresher should publish the polled records itself.
   */
  polled(result: PollResult): boolean {
    if (this.#stopped) return false;
    const first = this.#poll === undefined;
    this.#poll = result;
    this.#pids = new Map(result.state.frameworks.map((f) => [f.id, f.pid]));
    const masterChanged = result.master !== this.#master;
    this.#master = result.master;
    if (this.#stream && (first || masterChanged)) this.#stream.start();
    if (this.#live === undefined || this.#view === undefined || this.#queue !== undefined) return false;
    this.#reconcile(result);
    return true;
  }

  stop(): void {
    this.#stopped = true;
    this.#stream?.stop();
    this.#timers.clearTimeout(this.#publishTimer);
  }

  #subscribed(snapshot: StreamSnapshot, master: string): void {
    this.#lastDown = "";
    this.#deps.observer?.connected?.(true);
    this.#deps.log.info(`Following the event stream of master ${quote(master)}`);
    const next = ClusterView.fromSnapshot(snapshot);
    const view = this.#view;
    if (view === undefined || this.#live === undefined || this.#queue !== undefined) {
      // Events queued behind a rebuild still running came before this snapshot, which holds them.
      if (this.#queue !== undefined) this.#queue = [];
      void this.#rebuild(next);
      return;
    }
    // A resync: only what changed while the stream was away is made again.
    const change = view.diff(next);
    this.#remember(view, change.tasks, change.base);
    this.#view = next;
    this.#schedulePublish();
  }

  /** Applies one event to the view; a reason when it cannot (the stream then resyncs). */
  #event(event: OperatorEvent): string | undefined {
    if (this.#queue !== undefined) {
      this.#queue.push(event);
      return undefined;
    }
    const view = this.#view;
    if (view === undefined) return undefined;
    if (event.type === "UNKNOWN") {
      this.#badInput("unknown-event", `Event stream: unknown event type ${quote(event.name)} ignored`);
      return undefined;
    }
    const plan = view.plan(event);
    if (!plan.ok) {
      this.#badInput("unknown-entity", `Event stream: ${plan.error}; resyncing`);
      return plan.error;
    }
    if (plan.change.warnings.length > 0) this.#warn(plan.change.warnings);
    this.#remember(view, plan.change.tasks, plan.change.base);
    for (const key of plan.change.tasks) this.#touchedKeys.add(key);
    view.apply(event);
    return undefined;
  }

  /** Keeps the inputs of `keys` (and the base) as they are before a change, once per publish. */
  #remember(view: ClusterView, keys: readonly string[], base: boolean): void {
    for (const key of keys) if (!this.#pending.has(key)) this.#pending.set(key, inputOf(view, key));
    if (base && this.#pendingBase === undefined) this.#pendingBase = this.#baseInput(view);
  }

  #schedulePublish(): void {
    if (this.#publishTimer !== undefined || this.#queue !== undefined) return;
    if (this.#pending.size === 0 && this.#pendingBase === undefined) return;
    this.#publishTimer = this.#timers.setTimeout(() => {
      this.#publishTimer = undefined;
      this.#publish();
    }, COALESCE_MS);
  }

  /** Applies every pending change to the records and publishes them, in one step. */
  #publish(): void {
    const view = this.#view;
    const live = this.#live;
    if (this.#stopped || view === undefined || live === undefined) return;
    this.#applyPending(view, live);
    this.#publishView(view, live);
  }

  /** Takes the records of every changed task key (and the base) out and puts the new ones in. */
  #applyPending(view: ClusterView, live: LiveRecords): void {
    const generator = this.#generator;
    if (generator === undefined) return;
    for (const [key, before] of this.#pending) {
      live.remove(generator.task(before));
      live.add(generator.task(inputOf(view, key)));
    }
    this.#pending.clear();
    if (this.#pendingBase !== undefined) {
      live.remove(generator.base(this.#pendingBase));
      live.add(generator.base(this.#baseInput(view)));
      this.#pendingBase = undefined;
    }
  }

  #publishView(view: ClusterView, live: LiveRecords): void {
    const poll = this.#poll;
    const config = this.#deps.config;
    const leader = poll?.state.leader ?? "";
    const masters = poll?.masters ?? [];
    const resolved = this.#generator?.resolved ?? new Map();
    const pids = this.#pids;
    const enumerate = () =>
      generateRecords({
        state: view.toState(leader, pids),
        config,
        masters,
        resolved,
        localAddresses: poll?.localAddresses ?? [],
      }).enumeration;
    const loadedAtMs = this.#now();
    this.#deps.store.publish({
      records: live.view(enumerate),
      serial: Math.floor(loadedAtMs / 1000),
      loadedAtMs,
      leader,
      masters,
      source: "events",
    });
  }

  /** Builds the records of `view` from scratch in slices, then publishes them. */
  async #rebuild(view: ClusterView): Promise<void> {
    const poll = this.#poll;
    if (poll === undefined) return;
    const rebuild = ++this.#rebuilds;
    this.#queue ??= [];
    this.#timers.clearTimeout(this.#publishTimer);
    this.#publishTimer = undefined;
    const generator = new UnitGenerator(this.#deps.config, poll.resolved);
    const live = new LiveRecords();
    live.add(generator.base(this.#baseInput(view)));
    let n = 0;
    for (const key of [...view.tasks.keys()]) {
      live.add(generator.task(inputOf(view, key)));
      if (++n % SLICE === 0) {
        await new Promise<void>((resolve) => this.#timers.setTimeout(resolve, 0));
        if (this.#stopped || rebuild !== this.#rebuilds) return;
      }
    }
    this.#view = view;
    this.#live = live;
    this.#generator = generator;
    this.#pending.clear();
    this.#pendingBase = undefined;
    const queued = this.#queue ?? [];
    this.#queue = undefined;
    for (const event of queued) {
      const refused = this.#event(event);
      if (refused !== undefined) this.#stream?.resync(refused);
    }
    this.#publish();
  }

  /** A poll against the event-built records: count, log, and let the polled state win. */
  #reconcile(poll: PollResult): void {
    const view = this.#view;
    const live = this.#live;
    if (view === undefined || live === undefined) return;
    const polledView = ClusterView.fromState(poll.state);
    if (!sameResolved(this.#generator?.resolved, poll.resolved)) {
      // Host look-ups changed: every unit may change; start over from the polled state.
      void this.#rebuild(polledView);
      return;
    }
    // Events not yet published are part of what the poll is compared with.
    this.#applyPending(view, live);
    const touched = live.touched();
    const difference = diffRecords(
      live.view(() => ({ frameworks: [] })),
      poll.records,
      touched,
    );
    const change = view.diff(polledView, this.#touchedKeys);
    this.#remember(view, change.tasks, true);
    view.adopt(polledView, change.tasks);
    // Published even when nothing differed: the records were confirmed now (state age, /ready).
    this.#publish();
    if (difference.count > 0) {
      this.#deps.observer?.differences?.(difference.count);
      this.#deps.log.warn(
        `Reconciliation: ${difference.count} name(s) differed between the event stream and the poll ` +
          `(${difference.examples.join(", ")}${difference.count > difference.examples.length ? ", ..." : ""}); ` +
          `the polled state is applied`,
      );
      const after = diffRecords(
        live.view(() => ({ frameworks: [] })),
        poll.records,
        touched,
      );
      if (after.count > 0 || live.drift > 0) {
        this.#deps.log.warn(
          `Reconciliation: ${after.count} name(s) still differ; records rebuilt from the poll`,
        );
        void this.#rebuild(polledView);
      }
    }
    live.trackTouched();
  }

  #baseInput(view: ClusterView): BaseUnitInput {
    const poll = this.#poll;
    return {
      frameworks: view.frameworkList(this.#pids),
      agents: [...view.agents.values()],
      leader: poll?.state.leader ?? "",
      masters: poll?.masters ?? [],
      localAddresses: poll?.localAddresses ?? [],
    };
  }

  #down(kind: StreamDown, reason: string): void {
    this.#deps.observer?.connected?.(false);
    this.#deps.observer?.down?.(kind);
    if (kind === "bad-frame" || kind === "bad-event") this.#deps.observer?.badInput?.(kind);
    // One line per cause, not one per retry.
    if (reason === this.#lastDown) return;
    this.#lastDown = reason;
    this.#deps.log.warn(`${escapeControls(reason)}; reconnecting (polling continues meanwhile)`);
  }

  #unsupported(master: string, status: number): void {
    this.#deps.observer?.connected?.(false);
    this.#deps.log.info(
      `Master ${quote(master)} has no operator API (HTTP ${status}): following it by polling every ${this.#deps.config.RefreshSeconds} s`,
    );
    // Back to upstream's behaviour: each poll publishes its records. A rebuild still running
    // is dropped with its queue.
    this.#rebuilds++;
    this.#queue = undefined;
    this.#view = undefined;
    this.#live = undefined;
    this.#pending.clear();
    this.#pendingBase = undefined;
  }

  #badInput(kind: string, line: string): void {
    this.#deps.observer?.badInput?.(kind);
    this.#deps.log.warn(escapeControls(line));
  }

  #warn(lines: readonly string[]): void {
    for (const line of lines.slice(0, MAX_LOGGED))
      this.#deps.log.warn(`Event stream: ${escapeControls(line)}`);
    if (lines.length > MAX_LOGGED)
      this.#deps.log.warn(`Event stream: ... and ${lines.length - MAX_LOGGED} more warnings`);
  }
}
