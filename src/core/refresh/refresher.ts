/**
 * The refresh loop (docs/spec.md §7): leader detection feeds the masters list; each refresh fetches
 * the state, builds a record set and swaps it into the {@link SnapshotStore}. A failed
 * refresh keeps the previous snapshot (docs/spec.md §3.6).
 *
 * Unlike upstream, refreshes never block anything else (docs/spec.md §10 #38): they run
 * asynchronously while queries are answered from the store.
 *
 * @module
 */

import type { Config } from "../config/config.ts";
import { errorMessage, escapeControls, quote } from "../log/log-text.ts";
import type { WarnLogger } from "../log/logger.ts";
import { type Authenticator, createAuthenticator } from "../mesos/auth.ts";
import type { MasterDetector } from "../mesos/master-detector.ts";
import { initialMasters, leaderOf, type MastersList } from "../mesos/masters-list.ts";
import { loadTlsOptions } from "../mesos/tls-options.ts";
import type { Platform, TlsClientOptions } from "../platform.ts";
import type { SnapshotStore } from "../records/snapshot.ts";
import { realTimers, type Timers } from "../time/timers.ts";
import { buildSnapshot, type SnapshotOutcome } from "./_build-snapshot.ts";
import type { EventFollower } from "./event-follower.ts";

/** What one refresh did, for metrics. */
export interface RefreshResult {
  readonly ok: boolean;
  readonly durationMs: number;
  readonly error?: string;
}

export type { Timers } from "../time/timers.ts";

export interface RefresherDeps {
  readonly platform: Platform;
  readonly config: Config;
  readonly detector: MasterDetector;
  readonly store: SnapshotStore;
  readonly log: WarnLogger;
  /** Wall clock, milliseconds since the epoch. */
  readonly now?: () => number;
  readonly timers?: Timers;
  /** The process must end: `master detection timed out after <n>s` (docs/spec.md §3.3). */
  readonly onFatal?: (message: string) => void;
  readonly onRefresh?: (result: RefreshResult) => void;
  /**
   * Follows the event stream (`EventStreamOn`): each successful poll is handed to it, and it
   * publishes (reconciled) records itself once the stream is live.
   */
  readonly follower?: EventFollower;
}

/** Warnings listed per refresh; the rest are counted. */
const MAX_LOGGED_WARNINGS = 20;

/** A promise resolved from outside: the follow-up refresh callers share. */
interface FollowUp {
  readonly promise: Promise<boolean>;
  readonly resolve: (value: boolean | Promise<boolean>) => void;
}

/** Owns refreshing: detector events, the `RefreshSeconds` ticker, the detection timeout. */
export class Refresher {
  readonly #deps: RefresherDeps;
  readonly #now: () => number;
  readonly #timers: Timers;
  #masters: MastersList;
  #started = false;
  #stopped = false;
  #tick: unknown;
  #detectionTimer: unknown;
  /** The newest refresh; only it may publish (older ones were superseded by a leader change). */
  #inFlight: Promise<boolean> | undefined;
  /** The newest refresh, kept after it ends: a superseded refresh resolves with its result. */
  #latest: Promise<boolean> = Promise.resolve(false);
  #generation = 0;
  #followUp: FollowUp | undefined;
  #failures = 0;
  /** The cause last logged in the current failure streak; "" outside a streak. */
  #lastCause = "";
  #loadedOnce = false;
  #warnings = new Set<string>();
  #http: Promise<{ auth: Authenticator; tls: TlsClientOptions } | { error: string }> | undefined;

  constructor(deps: RefresherDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#timers = deps.timers ?? realTimers;
    this.#masters = initialMasters(deps.config.Masters);
  }

  /** The masters list currently used (leader slot first). */
  get masters(): MastersList {
    return this.#masters;
  }

  /** Failed refreshes since the last success. */
  get failureStreak(): number {
    return this.#failures;
  }

  /** Starts detection, the ticker and the detection timeout. Call once. */
  start(): void {
    if (this.#started) throw new Error("Refresher.start() called twice");
    this.#started = true;
    this.#restartDetectionTimer();
    this.#scheduleTick();
    this.#deps.detector.start((masters) => this.#onMasters(masters));
  }

  /**
   * Refreshes now; resolves true when a new snapshot was published. While a refresh runs,
   * callers share one follow-up refresh that starts when it ends. A refresh superseded by a
   * leader change resolves with the result of the one that replaced it.
   */
  refreshNow(): Promise<boolean> {
    if (this.#stopped) return Promise.resolve(false);
    if (!this.#inFlight) return this.#run();
    if (!this.#followUp) {
      let resolve: FollowUp["resolve"] = () => {};
      const promise = new Promise<boolean>((r) => {
        resolve = r;
      });
      this.#followUp = { promise, resolve };
    }
    return this.#followUp.promise;
  }

  /** Stops detection and timers. A refresh still running publishes nothing; none starts. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#tick !== undefined) this.#timers.clearTimeout(this.#tick);
    if (this.#detectionTimer !== undefined) this.#timers.clearTimeout(this.#detectionTimer);
    this.#tick = undefined;
    this.#detectionTimer = undefined;
    this.#followUp?.resolve(false);
    this.#followUp = undefined;
    this.#deps.follower?.stop();
    await this.#deps.detector.stop();
  }

  #onMasters(masters: MastersList): void {
    if (this.#stopped) return;
    const before = leaderOf(this.#masters);
    this.#masters = masters;
    const leader = leaderOf(masters);
    // docs/spec.md §3.3: an event with a leader cancels the detection timeout, one without restarts it.
    if (leader !== "") this.#cancelDetectionTimer();
    else this.#restartDetectionTimer();
    if (leader === before) {
      void this.refreshNow();
      return;
    }
    this.#deps.log.info(leader === "" ? "No leading master known" : `Leading master is now ${quote(leader)}`);
    // docs/spec.md §10 #38: a refresh stuck on the old leader (up to stateTimeoutSeconds) must not
    // delay the new one; it runs at once and the old one's result is discarded.
    const followUp = this.#followUp;
    this.#followUp = undefined;
    const run = this.#run();
    followUp?.resolve(run);
  }

  #scheduleTick(): void {
    if (this.#stopped) return;
    this.#tick = this.#timers.setTimeout(() => {
      // Ticks during a running refresh are dropped (docs/spec.md §7.1).
      if (!this.#inFlight) void this.refreshNow();
      this.#scheduleTick();
    }, this.#deps.config.RefreshSeconds * 1000);
  }

  #cancelDetectionTimer(): void {
    if (this.#detectionTimer !== undefined) this.#timers.clearTimeout(this.#detectionTimer);
    this.#detectionTimer = undefined;
  }

  #restartDetectionTimer(): void {
    this.#cancelDetectionTimer();
    const seconds = this.#deps.config.ZkDetectionTimeout;
    if (seconds <= 0 || this.#stopped) return;
    this.#detectionTimer = this.#timers.setTimeout(() => {
      this.#detectionTimer = undefined;
      if (!this.#stopped) this.#deps.onFatal?.(`master detection timed out after ${seconds}s`);
    }, seconds * 1000);
  }

  /** Starts a refresh of a new generation; it supersedes any running one. */
  #run(): Promise<boolean> {
    const generation = ++this.#generation;
    const run: Promise<boolean> = this.#refresh(generation).finally(() => {
      // A superseded run leaves the follow-up to the newer one.
      if (this.#inFlight !== run) return;
      this.#inFlight = undefined;
      const followUp = this.#followUp;
      this.#followUp = undefined;
      followUp?.resolve(this.#stopped ? false : this.#run());
    });
    this.#inFlight = run;
    this.#latest = run;
    return run;
  }

  async #refresh(generation: number): Promise<boolean> {
    const started = this.#now();
    const masters = this.#masters;
    this.#deps.follower?.pollStarted();
    let outcome: SnapshotOutcome;
    try {
      const http = await this.#httpSetup();
      outcome =
        "error" in http
          ? { ok: false, error: http.error }
          : await buildSnapshot(masters, { ...this.#deps, auth: http.auth, tls: http.tls });
    } catch (error) {
      // A bug in generation must not end the loop; it is reported like a failed load.
      outcome = { ok: false, error: `internal error: ${errorMessage(error)}` };
    }
    if (this.#stopped) return false;
    // Superseded: publish nothing, log nothing, count nothing; callers get the newer result.
    if (generation !== this.#generation) return this.#latest;
    const durationMs = Math.max(0, this.#now() - started);
    if (outcome.ok) {
      const { snapshot, master, warnings } = outcome;
      const followed = this.#deps.follower?.polled({
        state: outcome.state,
        records: snapshot.records,
        resolved: outcome.resolved,
        masters: snapshot.masters,
        localAddresses: outcome.localAddresses,
        master,
      });
      if (!followed) {
        const loadedAtMs = this.#now();
        this.#deps.store.publish({ ...snapshot, serial: Math.floor(loadedAtMs / 1000), loadedAtMs });
      }
      this.#logWarnings(warnings);
      this.#succeeded(master);
    } else {
      this.#failed(outcome.error);
    }
    this.#deps.onRefresh?.(
      outcome.ok ? { ok: true, durationMs } : { ok: false, durationMs, error: outcome.error },
    );
    return outcome.ok;
  }

  /** TLS material and the authenticator, built once; a failure is retried next refresh. */
  #httpSetup(): Promise<{ auth: Authenticator; tls: TlsClientOptions } | { error: string }> {
    this.#http ??= (async () => {
      const { platform, config, log } = this.#deps;
      const loaded = await loadTlsOptions(platform, config);
      if (!loaded.ok) return { error: loaded.error };
      if (loaded.warning) log.warn(loaded.warning);
      const auth = createAuthenticator({ platform, config, tls: loaded.tls, now: this.#now });
      this.#deps.follower?.configure(auth, loaded.tls);
      return { auth, tls: loaded.tls };
    })().then((setup) => {
      if ("error" in setup) this.#http = undefined;
      return setup;
    });
    return this.#http;
  }

  #succeeded(master: string): void {
    const { log } = this.#deps;
    if (this.#failures > 0) {
      log.info(`State loaded again from master ${quote(master)} after ${this.#failures} failed refresh(es)`);
    } else if (!this.#loadedOnce) {
      log.info(`State loaded from master ${quote(master)}`);
    }
    this.#loadedOnce = true;
    this.#failures = 0;
    this.#lastCause = "";
  }

  /** Logs the first failure of a streak and each change of cause, never a repeated one. */
  #failed(error: string): void {
    this.#failures++;
    if (error === this.#lastCause) return;
    this.#lastCause = error;
    const current = this.#deps.store.current();
    const kept = current
      ? `keeping the records loaded at ${new Date(current.loadedAtMs).toISOString()}`
      : "no records loaded yet";
    this.#deps.log.error(`Cannot load state: ${escapeControls(error)}; ${kept}`);
  }

  /** Logs warnings not seen in the previous refresh, so a steady state is quiet. */
  #logWarnings(warnings: readonly string[]): void {
    const fresh = warnings.filter((w) => !this.#warnings.has(w));
    this.#warnings = new Set(warnings);
    // Warnings quote state values; escaping here keeps any that slipped through on one line.
    for (const w of fresh.slice(0, MAX_LOGGED_WARNINGS)) this.#deps.log.warn(escapeControls(w));
    if (fresh.length > MAX_LOGGED_WARNINGS) {
      this.#deps.log.warn(`... and ${fresh.length - MAX_LOGGED_WARNINGS} more new warnings in this state`);
    }
  }
}
