/**
 * Follows the leading master's operator API v1 event stream: `POST /api/v1` with
 * `{"type":"SUBSCRIBE"}`, RecordIO-framed JSON, the `SUBSCRIBED` snapshot first, then events.
 * Same HTTP/HTTPS and authentication as the state poll; a redirect from a master that does
 * not lead is followed.
 *
 * Faults end the stream and it is opened again after a jittered backoff, starting from a
 * fresh `SUBSCRIBED`: a closed or cut stream, no message for twice the heartbeat interval,
 * a bad frame or event, an event the view cannot take (the caller says so). A master without
 * the operator API (HTTP 404, 405 or 501: Mesos before 1.1) is not asked again until the
 * leader changes; polling alone then keeps the records.
 *
 * @module
 */

import type { Config } from "../config/config.ts";
import { errorMessage, quote } from "../log/log-text.ts";
import type { Platform, TlsClientOptions } from "../platform.ts";
import { realTimers, type Timers } from "../time/timers.ts";
import { type Authenticator, noAuthenticator } from "./auth.ts";
import { type OperatorEvent, parseOperatorEvent, type StreamSnapshot } from "./operator-event.ts";
import { RecordIoDecoder } from "./recordio.ts";

/** Why a stream ended, for metrics and logs. */
export type StreamDown = "closed" | "heartbeat" | "bad-frame" | "bad-event" | "resync" | "http" | "stopped";

export interface EventStreamHandlers {
  /** A stream opened; `snapshot` is the cluster as the master sees it now. */
  subscribed(snapshot: StreamSnapshot, master: string): void;
  /** One event after the snapshot; a reason when the view cannot take it (the stream is resynced). */
  event(event: OperatorEvent): string | undefined;
  /** The events of one received chunk have all been handed over. */
  batchEnd(): void;
  /** The stream ended; `reason` is one line for the log. */
  down(kind: StreamDown, reason: string): void;
  /** The master has no operator API (polling only until the leader changes). */
  unsupported(master: string, status: number): void;
  /** A message arrived (every type, heartbeats included). */
  message?(type: OperatorEvent["type"]): void;
  /** Warnings from reading an event (a skipped malformed entity). */
  warnings?(lines: readonly string[]): void;
}

export interface EventStreamDeps {
  readonly platform: Pick<Platform, "httpStream">;
  readonly config: Pick<Config, "MesosHTTPSOn" | "StateTimeoutSeconds" | "StateMaxBytes">;
  /** `host:port` of the master to subscribe to (the one that answered the last poll), or "". */
  readonly master: () => string;
  readonly handlers: EventStreamHandlers;
  readonly auth?: Authenticator;
  readonly tls?: TlsClientOptions;
  readonly timers?: Timers;
  readonly random?: () => number;
}

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 30_000;
/** Heartbeat interval assumed when SUBSCRIBED does not give one (Mesos's default). */
const DEFAULT_HEARTBEAT_S = 15;
const NO_API = new Set([404, 405, 501]);

export class EventStream {
  readonly #deps: EventStreamDeps;
  readonly #timers: Timers;
  readonly #random: () => number;
  #generation = 0;
  #stopped = true;
  #cancel: (() => void) | undefined;
  #retry: unknown;
  #delay = FIRST_DELAY_MS;
  /** A master found without the operator API; not asked again until another one leads. */
  #unsupported = "";
  #connected = false;

  constructor(deps: EventStreamDeps) {
    this.#deps = deps;
    this.#timers = deps.timers ?? realTimers;
    this.#random = deps.random ?? Math.random;
  }

  /** True while a stream is open and its snapshot has arrived. */
  get connected(): boolean {
    return this.#connected;
  }

  /** True when the current master has no operator API. */
  get unsupported(): boolean {
    return this.#unsupported !== "" && this.#unsupported === this.#deps.master();
  }

  /** Opens the stream (again at once when already running: a leader change or a resync). */
  start(): void {
    this.#stopped = false;
    this.#open();
  }

  /** Ends the stream; nothing is opened again until {@link start}. */
  stop(): void {
    this.#stopped = true;
    this.#generation++;
    this.#timers.clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#end();
  }

  /** Ends the current stream and opens a new one after the backoff (the view went wrong). */
  resync(reason: string): void {
    if (this.#stopped) return;
    this.#fail(this.#generation, "resync", reason);
  }

  #open(): void {
    const generation = ++this.#generation;
    this.#timers.clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#end();
    const master = this.#deps.master();
    if (master === "" || master === this.#unsupported) return;
    void this.#session(master, generation).catch((error: unknown) => {
      this.#fail(generation, "closed", `internal error: ${errorMessage(error)}`);
    });
  }

  #end(): void {
    this.#connected = false;
    const cancel = this.#cancel;
    this.#cancel = undefined;
    cancel?.();
  }

  /** Ends generation `generation`'s stream (once) and schedules the next attempt. */
  #fail(generation: number, kind: StreamDown, reason: string): void {
    if (generation !== this.#generation || this.#stopped) return;
    this.#generation++;
    this.#end();
    this.#deps.handlers.down(kind, reason);
    const delay = this.#delay * (0.5 + this.#random() / 2);
    this.#delay = Math.min(MAX_DELAY_MS, this.#delay * 2);
    this.#retry = this.#timers.setTimeout(() => {
      this.#retry = undefined;
      if (!this.#stopped) this.#open();
    }, delay);
  }

  async #session(master: string, generation: number): Promise<void> {
    const { platform, config, handlers } = this.#deps;
    const auth = this.#deps.auth ?? noAuthenticator;
    const live = () => generation === this.#generation && !this.#stopped;
    const scheme = config.MesosHTTPSOn ? "https" : "http";
    const url = `${scheme}://${master}/api/v1`;
    const header = await auth.header();
    if (!live()) return;
    if (!header.ok)
      return this.#fail(generation, "http", `Cannot subscribe to ${quote(url)}: ${header.error}`);
    let response: Awaited<ReturnType<Platform["httpStream"]>>;
    try {
      response = await platform.httpStream(url, {
        method: "POST",
        headers: {
          "User-Agent": "Mesos-DNS",
          "Content-Type": "application/json",
          Accept: "application/json",
          ...(header.value === undefined ? {} : { Authorization: header.value }),
        },
        body: '{"type":"SUBSCRIBE"}',
        timeoutMs: config.StateTimeoutSeconds * 1000,
        maxRedirects: 10,
        ...(this.#deps.tls ? { tls: this.#deps.tls } : {}),
      });
    } catch (error) {
      const why = errorMessage(error);
      return this.#fail(generation, "http", `Cannot subscribe to ${quote(url)}: ${why}`);
    }
    if (!live()) return response.cancel();
    if (NO_API.has(response.status)) {
      response.cancel();
      this.#unsupported = master;
      this.#connected = false;
      handlers.unsupported(master, response.status);
      return;
    }
    if (response.status === 401) auth.rejected();
    if (response.status < 200 || response.status > 299) {
      response.cancel();
      return this.#fail(
        generation,
        "http",
        `Cannot subscribe to ${quote(response.url)}: HTTP ${response.status}`,
      );
    }
    this.#cancel = () => response.cancel();
    await this.#read(response.body, response.url, generation, live);
  }

  async #read(
    body: AsyncIterable<Uint8Array>,
    url: string,
    generation: number,
    live: () => boolean,
  ): Promise<void> {
    const { config, handlers } = this.#deps;
    const decoder = new RecordIoDecoder(config.StateMaxBytes);
    let subscribed = false;
    let watchdog: unknown;
    // Until the snapshot is in, the state timeout bounds the wait; then twice the heartbeat.
    let silenceMs = config.StateTimeoutSeconds * 1000;
    const arm = () => {
      this.#timers.clearTimeout(watchdog);
      watchdog = this.#timers.setTimeout(() => {
        this.#fail(generation, "heartbeat", `No message from ${quote(url)} for ${silenceMs / 1000} s`);
      }, silenceMs);
    };
    const fail = (kind: StreamDown, reason: string) => this.#fail(generation, kind, reason);
    arm();
    try {
      for await (const chunk of body) {
        if (!live()) return;
        arm();
        for (const item of decoder.push(chunk)) {
          if (!item.ok) return fail("bad-frame", `Bad frame from ${quote(url)}: ${item.error}`);
          const parsed = parseOperatorEvent(item.record);
          if (!parsed.ok) return fail("bad-event", `Bad event from ${quote(url)}: ${parsed.error}`);
          if (parsed.warnings.length > 0) handlers.warnings?.(parsed.warnings);
          const event = parsed.event;
          handlers.message?.(event.type);
          if (!subscribed) {
            if (event.type !== "SUBSCRIBED") {
              return fail(
                "bad-event",
                `The stream from ${quote(url)} began with ${event.type}, not SUBSCRIBED`,
              );
            }
            subscribed = true;
            silenceMs = 2 * 1000 * (event.heartbeatSeconds ?? DEFAULT_HEARTBEAT_S);
            arm();
            this.#connected = true;
            this.#delay = FIRST_DELAY_MS;
            handlers.subscribed(event.snapshot, masterOf(url));
            continue;
          }
          if (event.type === "HEARTBEAT") continue;
          const refused = handlers.event(event);
          if (refused !== undefined) return fail("resync", refused);
          if (!live()) return;
        }
        handlers.batchEnd();
      }
      if (!live()) return;
      const tail = decoder.end().find((item) => !item.ok);
      const detail = tail && !tail.ok ? ` (${tail.error})` : "";
      fail("closed", `The master closed the event stream ${quote(url)}${detail}`);
    } catch (error) {
      if (!live()) return;
      fail("closed", `The event stream ${quote(url)} broke: ${errorMessage(error)}`);
    } finally {
      this.#timers.clearTimeout(watchdog);
    }
  }
}

/** `host:port` of a URL (the master that answered, after redirects). */
function masterOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
