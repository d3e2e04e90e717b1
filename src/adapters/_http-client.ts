/**
 * The part of `Platform.httpRequest` that is the same on every runtime: the whole-request
 * timeout, the manual redirect loop (so `maxRedirects` and the final URL are exact), the
 * body size limit and error mapping. Each adapter supplies only `send`: one request, no
 * redirects, body as it arrives (already decompressed).
 *
 * @module
 */
import {
  type HttpRequestOptions,
  type HttpResponseData,
  type HttpStreamOptions,
  type HttpStreamResponse,
  NetError,
} from "../core/platform.ts";
import { mapError } from "./_map-error.ts";

/** One HTTP exchange as an adapter performs it. */
export interface SendRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** Aborted on timeout and on a too-large body; `send` and its body must stop. */
  readonly signal: AbortSignal;
}

export interface SentResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: AsyncIterable<Uint8Array> | null;
}

export type Send = (request: SendRequest) => Promise<SentResponse>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Headers Go's client drops when a redirect leaves the original host.
const SENSITIVE = new Set(["authorization", "cookie", "www-authenticate"]);

/** Runs `options` against `url` with `send`, following redirects as Go's net/http does. */
export async function requestWithRedirects(
  url: string,
  options: HttpRequestOptions,
  send: Send,
): Promise<HttpResponseData> {
  const exchange = startExchange(url, options.timeoutMs);
  const { signal } = exchange.controller;
  try {
    const { res, current } = await followRedirects(url, options, send, exchange);
    try {
      const data = await readLimited(res.body, options.maxBytes, signal);
      return { status: res.status, url: current.href, headers: res.headers, body: data };
    } catch (err) {
      if (err instanceof NetError && err.code === "TOO_LARGE") {
        throw new NetError("TOO_LARGE", `Response from "${current.href}" exceeds ${options.maxBytes} bytes`);
      }
      throw err;
    }
  } catch (err) {
    throw exchange.failure(err);
  } finally {
    exchange.done();
  }
}

/**
 * Like {@link requestWithRedirects}, but the deadline covers only the response headers and the
 * body is handed over as it arrives. `onEnd` runs once when the body ends, fails or is
 * cancelled (Deno closes its per-request HTTP client there).
 */
export async function streamWithRedirects(
  url: string,
  options: HttpStreamOptions,
  send: Send,
  onEnd: () => void = () => {},
): Promise<HttpStreamResponse> {
  const exchange = startExchange(url, options.timeoutMs);
  const { controller } = exchange;
  let res: SentResponse;
  let current: URL;
  try {
    ({ res, current } = await followRedirects(url, options, send, exchange));
  } catch (err) {
    onEnd();
    throw exchange.failure(err);
  } finally {
    exchange.done();
  }
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  let cancelled = false;
  const href = current.href;
  const source = res.body;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (source === null) return end();
    const it = source[Symbol.asyncIterator]();
    try {
      for (;;) {
        const step = await abortable(it.next(), controller.signal);
        if (step.done) return;
        yield step.value;
      }
    } catch (err) {
      if (cancelled) throw new NetError("CLOSED", `Stream from "${href}" was cancelled`);
      throw mapError(err, `Stream from "${href}" failed`);
    } finally {
      void it.return?.()?.catch(() => {});
      end();
    }
  }
  return {
    status: res.status,
    url: href,
    headers: res.headers,
    body: chunks(),
    cancel() {
      if (cancelled) return;
      cancelled = true;
      controller.abort(new NetError("CLOSED", "cancelled"));
      if (source === null) end();
    },
  };
}

interface Exchange {
  readonly controller: AbortController;
  /** The URL being asked now (after redirects), for messages. */
  current: string;
  /** The error to throw for `err`, naming the URL and a timeout as such. */
  failure(err: unknown): NetError;
  /** Clears the deadline. */
  done(): void;
}

function startExchange(url: string, timeoutMs: number): Exchange {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new NetError("TIMED_OUT", "timed out"));
  }, timeoutMs);
  return {
    controller,
    current: url,
    failure(err) {
      if (timedOut) {
        return new NetError("TIMED_OUT", `Request to "${url}" timed out after ${timeoutMs} ms`, {
          cause: err,
        });
      }
      return mapError(err, `Request to "${this.current}" failed`);
    },
    done: () => clearTimeout(timer),
  };
}

/** Sends the request and follows redirects; returns the final response with its URL. */
async function followRedirects(
  url: string,
  options: {
    readonly method: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
    readonly maxRedirects: number;
  },
  send: Send,
  exchange: Exchange,
): Promise<{ res: SentResponse; current: URL }> {
  const signal = exchange.controller.signal;
  let current: URL;
  try {
    current = new URL(url);
  } catch (err) {
    throw new NetError("OTHER", `Cannot request "${url}": invalid URL`, { cause: err });
  }
  exchange.current = current.href;
  let method: string = options.method;
  let body = options.body;
  let headers: Record<string, string> = { ...options.headers };
  for (let redirects = 0; ; redirects++) {
    const res = await abortable(send({ url: current, method, headers, body, signal }), signal);
    const location = res.headers.get("location");
    if (!(REDIRECTS.has(res.status) && location !== null && redirects < options.maxRedirects)) {
      return { res, current };
    }
    await discard(res.body);
    const next = new URL(location, current);
    // Bun's fetch would read a `file:` URL from disk: a master could hand us local files.
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new NetError(
        "OTHER",
        `Refusing redirect from "${current.href}" to "${location}": only http and https are followed`,
      );
    }
    if (res.status <= 303) {
      // 301/302/303 turn a POST into a body-less GET; 307/308 repeat the request as it was.
      if (method !== "GET") headers = withoutBodyHeaders(headers);
      method = "GET";
      body = undefined;
    }
    if (next.host !== current.host) headers = without(headers, SENSITIVE);
    current = next;
    exchange.current = next.href;
  }
}

/** Collects the body, stopping past `maxBytes`. */
async function readLimited(
  body: AsyncIterable<Uint8Array> | null,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const it = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      const step = await abortable(it.next(), signal);
      if (step.done) break;
      size += step.value.byteLength;
      if (size > maxBytes) {
        // Leaving the iteration (it.return below) cancels the body and its connection.
        throw new NetError("TOO_LARGE", "too large");
      }
      chunks.push(step.value);
    }
  } catch (err) {
    void it.return?.()?.catch(() => {});
    throw err;
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** Abandons a redirect's body; its connection is closed rather than drained. */
async function discard(body: AsyncIterable<Uint8Array> | null): Promise<void> {
  try {
    await body?.[Symbol.asyncIterator]().return?.();
  } catch {
    // a redirect's body does not matter
  }
}

/** Settles with `promise`, or rejects with the abort reason once `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function without(headers: Record<string, string>, names: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !names.has(k.toLowerCase())));
}

function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  return without(headers, new Set(["content-type", "content-length"]));
}
