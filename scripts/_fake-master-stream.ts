/**
 * The operator API v1 endpoint of the fake master (`POST /api/v1`, call `SUBSCRIBE`) and its
 * subscribers: RecordIO framing, heartbeats, and the fault controls (cut, stall, raw bytes).
 *
 * Checks in Mesos' order: authentication (401, before the handler as in libprocess), leader
 * (307 to `//<leader><request path>`, e.g. `//10.0.0.1:5050/api/v1`), method (405), `Content-Type` (400 when missing, 415 unless
 * JSON), body (400), `Accept` (406 unless JSON is acceptable), call type (400 unless
 * `SUBSCRIBE`: the fake implements no other call).
 *
 * @module
 */
import type { V1Event } from "./_fake-master-v1.ts";

/**
 * Whether the master has the operator API: `true` (default) serves it; `false` or a status
 * answers every `/api/v1` request with that status (`false` = 404, as a Mesos before 1.0).
 */
export type OperatorApiMode = boolean | 404 | 405 | 501;

const encoder = new TextEncoder();

/** One RecordIO record: the UTF-8 byte length of `json`, a newline, then `json`. */
export function recordIo(json: string): Uint8Array {
  const body = encoder.encode(json);
  const head = encoder.encode(`${body.length}\n`);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

const frame = (event: V1Event) => recordIo(JSON.stringify(event));

interface Subscriber {
  readonly controller: ReadableStreamDefaultController<Uint8Array>;
  timer: ReturnType<typeof setInterval> | undefined;
  /** Events held back while stalled, sent in order when the stall ends. */
  held: Uint8Array[] | undefined;
}

/** The open `SUBSCRIBE` streams of one master. */
export class Subscribers {
  readonly #all = new Set<Subscriber>();

  /** A stream that starts with `first` and then heartbeats every `heartbeatSeconds`. */
  open(first: V1Event, heartbeatSeconds: number, signal: AbortSignal): ReadableStream<Uint8Array> {
    let self: Subscriber | undefined;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        const sub: Subscriber = { controller, timer: undefined, held: undefined };
        self = sub;
        this.#all.add(sub);
        this.#write(sub, frame(first));
        sub.timer = setInterval(() => {
          if (!sub.held) this.#write(sub, frame({ type: "HEARTBEAT" }));
        }, heartbeatSeconds * 1000);
        if (signal.aborted) this.#forget(sub);
        else signal.addEventListener("abort", () => this.#forget(sub), { once: true });
      },
      cancel: () => {
        if (self) this.#forget(self);
      },
    });
  }

  /** Sends `event` to every subscriber (held back for stalled ones). */
  broadcast(event: V1Event): void {
    const bytes = frame(event);
    for (const sub of this.#all) {
      if (sub.held) sub.held.push(bytes);
      else this.#write(sub, bytes);
    }
  }

  /** Writes `bytes` as they are to every subscriber, stalled ones included. */
  sendRaw(bytes: Uint8Array | string): void {
    const raw = typeof bytes === "string" ? encoder.encode(bytes) : bytes;
    for (const sub of this.#all) this.#write(sub, raw.slice());
  }

  /**
   * `on`: the current subscribers get nothing more (no heartbeat; events are held) while their
   * connections stay open. `off`: they get the held events, in order, and heartbeats again.
   * Subscribers that arrive during a stall are not stalled.
   */
  stall(on: boolean): void {
    for (const sub of this.#all) {
      if (on) sub.held ??= [];
      else if (sub.held) {
        const held = sub.held;
        sub.held = undefined;
        for (const bytes of held) this.#write(sub, bytes);
      }
    }
  }

  /** Breaks every stream off (the client sees the connection reset mid-body). */
  cut(): void {
    for (const sub of [...this.#all]) {
      this.#forget(sub);
      try {
        // An `undefined` reason: Bun resets the connection without logging an error.
        sub.controller.error(undefined);
      } catch {
        // Already closed by the client.
      }
    }
  }

  /** Ends every stream cleanly (the master stops). */
  endAll(): void {
    for (const sub of [...this.#all]) {
      this.#forget(sub);
      try {
        sub.controller.close();
      } catch {
        // Already closed by the client.
      }
    }
  }

  count(): number {
    return this.#all.size;
  }

  #write(sub: Subscriber, bytes: Uint8Array): void {
    try {
      sub.controller.enqueue(bytes);
    } catch {
      this.#forget(sub);
    }
  }

  #forget(sub: Subscriber): void {
    clearInterval(sub.timer);
    sub.timer = undefined;
    this.#all.delete(sub);
  }
}

/** What the endpoint needs from its master. */
export interface OperatorApiHost {
  mode(): OperatorApiMode;
  authorized(request: Request): boolean;
  /** `host:port` of the leader, or `undefined` when this master leads. */
  otherLeader(): string | undefined;
  /** The stream of a new subscriber. */
  subscribe(signal: AbortSignal): ReadableStream<Uint8Array>;
}

const plain = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers } });

const mediaType = (value: string) => value.split(";")[0]?.trim().toLowerCase() ?? "";

function acceptsJson(accept: string | null): boolean {
  if (accept === null || accept.trim() === "") return true;
  return accept
    .split(",")
    .map(mediaType)
    .some((t) => t === "application/json" || t === "application/*" || t === "*/*");
}

/** Answers a request for `/api/v1` (or `/master/api/v1`). */
export async function operatorApi(request: Request, host: OperatorApiHost): Promise<Response> {
  const mode = host.mode();
  if (mode !== true) return plain(mode === false ? 404 : mode, mode === 405 ? "Method Not Allowed" : "");
  if (!host.authorized(request)) {
    return plain(401, "Unauthorized", { "www-authenticate": 'Basic realm="mesos"' });
  }
  const leader = host.otherLeader();
  if (leader !== undefined) {
    const path = new URL(request.url).pathname;
    return new Response(null, { status: 307, headers: { location: `//${leader}${path}` } });
  }
  if (request.method !== "POST") {
    return plain(405, `Expecting one of { 'POST' }, but received '${request.method}'`, { allow: "POST" });
  }
  const contentType = request.headers.get("content-type");
  if (contentType === null) return plain(400, "Expecting 'Content-Type' to be present");
  if (mediaType(contentType) !== "application/json") {
    return plain(415, `Expecting 'Content-Type' of application/json`);
  }
  let call: unknown;
  try {
    call = JSON.parse(await request.text());
  } catch (error) {
    return plain(400, `Failed to parse body into JSON: ${(error as Error).message}`);
  }
  const type = typeof call === "object" && call !== null ? (call as { type?: unknown }).type : undefined;
  if (typeof type !== "string")
    return plain(400, "Failed to validate master::Call: Expecting 'type' to be present");
  if (!acceptsJson(request.headers.get("accept"))) {
    return plain(406, "Expecting 'Accept' to allow application/json");
  }
  if (type !== "SUBSCRIBE") return plain(400, `fake master: call ${type} is not implemented, only SUBSCRIBE`);
  return new Response(host.subscribe(request.signal), {
    headers: { "content-type": "application/json", "cache-control": "no-cache" },
  });
}
