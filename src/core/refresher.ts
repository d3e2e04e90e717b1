/**
 * The refresh loop (SPEC 7): leader detection feeds the masters list; each refresh fetches
 * the state, builds a record set and swaps it into the {@link SnapshotStore}. A failed
 * refresh keeps the previous snapshot (SPEC 3.6).
 *
 * Unlike upstream, refreshes never block anything else (SPEC 10 #38): they run
 * asynchronously while queries are answered from the store.
 *
 * @module
 */
import { resolveHosts } from "./_resolve-hosts.ts";
import { type Authenticator, createAuthenticator } from "./auth.ts";
import type { Config } from "./config.ts";
import type { MasterDetector } from "./master-detector.ts";
import { initialMasters, leaderOf, type MastersList } from "./masters-list.ts";
import type { Platform, TlsClientOptions } from "./platform.ts";
import { generateRecords } from "./records.ts";
import type { SnapshotStore } from "./snapshot.ts";
import { hostnamesToResolve, type MesosState, parseState } from "./state.ts";
import { fetchState } from "./state-fetch.ts";
import { loadTlsOptions } from "./tls-options.ts";

/** What one refresh did, for metrics. */
export interface RefreshResult {
  readonly ok: boolean;
  readonly durationMs: number;
  readonly error?: string;
}

/** Timer functions; injectable so tests drive time by hand. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RefresherDeps {
  readonly platform: Platform;
  readonly config: Config;
  readonly detector: MasterDetector;
  readonly store: SnapshotStore;
  readonly log: { info(m: string): void; warn(m: string): void; error(m: string): void };
  /** Wall clock, milliseconds since the epoch. */
  readonly now?: () => number;
  readonly timers?: Timers;
  /** The process must end: `master detection timed out after <n>s` (SPEC 3.3). */
  readonly onFatal?: (message: string) => void;
  readonly onRefresh?: (result: RefreshResult) => void;
}

/** Per-host lookup timeout (SPEC 10 #42: keep the lookups, bound them). */
const LOOKUP_TIMEOUT_MS = 2000;
/** Warnings listed per refresh; the rest are counted. */
const MAX_LOGGED_WARNINGS = 20;

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

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
  #inFlight: Promise<boolean> | undefined;
  #next: Promise<boolean> | undefined;
  #failures = 0;
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
   * callers share one follow-up refresh that starts when it ends.
   */
  refreshNow(): Promise<boolean> {
    if (this.#stopped) return Promise.resolve(false);
    const running = this.#inFlight;
    if (!running) return this.#run();
    this.#next ??= running.then(() => {
      this.#next = undefined;
      return this.#run();
    });
    return this.#next;
  }

  /** Stops detection and timers. A refresh still running publishes nothing. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#tick !== undefined) this.#timers.clearTimeout(this.#tick);
    if (this.#detectionTimer !== undefined) this.#timers.clearTimeout(this.#detectionTimer);
    this.#tick = undefined;
    this.#detectionTimer = undefined;
    await this.#deps.detector.stop();
  }

  #onMasters(masters: MastersList): void {
    if (this.#stopped) return;
    const before = leaderOf(this.#masters);
    this.#masters = masters;
    const leader = leaderOf(masters);
    if (leader !== before) {
      this.#deps.log.info(leader === "" ? "No leading master known" : `Leading master is now "${leader}"`);
    }
    // SPEC 3.3: an event with a leader cancels the detection timeout, one without restarts it.
    if (leader !== "") this.#cancelDetectionTimer();
    else this.#restartDetectionTimer();
    void this.refreshNow();
  }

  #scheduleTick(): void {
    if (this.#stopped) return;
    this.#tick = this.#timers.setTimeout(() => {
      // Ticks during a running refresh are dropped (SPEC 7.1).
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

  #run(): Promise<boolean> {
    const run: Promise<boolean> = this.#refresh().finally(() => {
      if (this.#inFlight === run) this.#inFlight = undefined;
    });
    this.#inFlight = run;
    return run;
  }

  async #refresh(): Promise<boolean> {
    const started = this.#now();
    const masters = this.#masters;
    let outcome: { ok: true; master: string } | { ok: false; error: string };
    try {
      outcome = await this.#load(masters);
    } catch (error) {
      // A bug in generation must not end the loop; it is reported like a failed load.
      outcome = { ok: false, error: `internal error: ${(error as Error).message}` };
    }
    const durationMs = Math.max(0, this.#now() - started);
    if (this.#stopped) return false;
    if (outcome.ok) this.#succeeded(outcome.master);
    else this.#failed(outcome.error);
    this.#deps.onRefresh?.(
      outcome.ok ? { ok: true, durationMs } : { ok: false, durationMs, error: outcome.error },
    );
    return outcome.ok;
  }

  async #load(masters: MastersList): Promise<{ ok: true; master: string } | { ok: false; error: string }> {
    const { platform, config, store } = this.#deps;
    const http = await this.#httpSetup();
    if ("error" in http) return { ok: false, error: http.error };
    const parsed = await fetchAndParse(masters, { platform, config, auth: http.auth, tls: http.tls });
    if (!parsed.ok) return parsed;
    const { state, warnings, master } = parsed;
    if (state.leader === "")
      return { ok: false, error: `empty master: state from "${master}" has no leader` };
    const hosts = hostnamesToResolve(state, { masters, listener: config.Listener });
    const lookups = await resolveHosts(platform, hosts, LOOKUP_TIMEOUT_MS);
    const records = generateRecords({
      state,
      config,
      masters,
      resolved: lookups.resolved,
      localAddresses: platform.localAddresses(),
    });
    if (this.#stopped) return { ok: true, master };
    const loadedAtMs = this.#now();
    store.publish({
      records,
      serial: Math.floor(loadedAtMs / 1000),
      loadedAtMs,
      leader: state.leader,
      masters,
    });
    this.#logWarnings([...warnings, ...lookups.warnings, ...records.warnings]);
    return { ok: true, master };
  }

  /** TLS material and the authenticator, built once; a failure is retried next refresh. */
  #httpSetup(): Promise<{ auth: Authenticator; tls: TlsClientOptions } | { error: string }> {
    this.#http ??= (async () => {
      const { platform, config, log } = this.#deps;
      const loaded = await loadTlsOptions(platform, config);
      if (!loaded.ok) return { error: loaded.error };
      if (loaded.warning) log.warn(loaded.warning);
      const auth = createAuthenticator({ platform, config, tls: loaded.tls, now: this.#now });
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
      log.info(`State loaded again from master "${master}" after ${this.#failures} failed refresh(es)`);
    } else if (!this.#loadedOnce) {
      log.info(`State loaded from master "${master}"`);
    }
    this.#loadedOnce = true;
    this.#failures = 0;
  }

  #failed(error: string): void {
    this.#failures++;
    if (this.#failures > 1) return;
    const current = this.#deps.store.current();
    const kept = current
      ? `keeping the records loaded at ${new Date(current.loadedAtMs).toISOString()}`
      : "no records loaded yet";
    this.#deps.log.error(`Cannot load state: ${error}; ${kept}`);
  }

  /** Logs warnings not seen in the previous refresh, so a steady state is quiet. */
  #logWarnings(warnings: readonly string[]): void {
    const fresh = warnings.filter((w) => !this.#warnings.has(w));
    this.#warnings = new Set(warnings);
    for (const w of fresh.slice(0, MAX_LOGGED_WARNINGS)) this.#deps.log.warn(w);
    if (fresh.length > MAX_LOGGED_WARNINGS) {
      this.#deps.log.warn(`... and ${fresh.length - MAX_LOGGED_WARNINGS} more new warnings in this state`);
    }
  }
}

/**
 * Fetches and parses in a function of its own, so the decoded JSON tree (tens of MB for a big
 * cluster) is garbage as soon as the state is parsed, not pinned while records are generated.
 */
async function fetchAndParse(
  masters: MastersList,
  deps: Parameters<typeof fetchState>[1],
): Promise<
  { ok: true; state: MesosState; warnings: string[]; master: string } | { ok: false; error: string }
> {
  const fetched = await fetchState(masters, deps);
  if (!fetched.ok) return fetched;
  return { ok: true, ...parseState(fetched.json), master: fetched.master };
}
