/**
 * An in-process stand-in for a master's `/api/v1` event stream: `httpStream` answers each
 * subscription with a body the test writes to (RecordIO frames, raw bytes, an end or an
 * error), and a manual clock drives every timer, so no test sleeps.
 */
import type { HttpStreamOptions, HttpStreamResponse } from "../../../src/core/platform.ts";

/** A manual clock: timers fire only when the test advances time. */
export class ManualTimers {
  now = 0;
  #next = 1;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();

  setTimeout = (callback: () => void, ms: number): unknown => {
    const id = this.#next++;
    this.#timers.set(id, { at: this.now + Math.max(0, ms), callback });
    return id;
  };

  clearTimeout = (handle: unknown): void => {
    this.#timers.delete(handle as number);
  };

  /** Moves time forward by `ms`, running every timer due on the way, in order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let first: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#timers)
        if (entry[1].at <= end && (!first || entry[1].at < first[1].at)) first = entry;
      if (!first) break;
      this.#timers.delete(first[0]);
      this.now = first[1].at;
      first[1].callback();
    }
    this.now = end;
  }

  get pending(): number {
    return this.#timers.size;
  }
}

/** One open subscription: the test writes to it; the client reads it. */
export class FakeStream {
  readonly url: string;
  readonly options: HttpStreamOptions;
  #queue: Array<Uint8Array | Error | null> = [];
  #wake: (() => void) | undefined;
  cancelled = false;

  constructor(url: string, options: HttpStreamOptions) {
    this.url = url;
    this.options = options;
  }

  /** Sends one RecordIO frame holding `message` (JSON-encoded unless a string). */
  frame(message: unknown): void {
    const text = typeof message === "string" ? message : JSON.stringify(message);
    const body = new TextEncoder().encode(text);
    this.raw(`${body.length}\n`);
    this.raw(body);
  }

  raw(bytes: Uint8Array | string): void {
    this.#push(typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes);
  }

  /** The master closes the stream. */
  end(): void {
    this.#push(null);
  }

  /** The connection breaks. */
  fail(message = "connection reset"): void {
    this.#push(new Error(message));
  }

  #push(item: Uint8Array | Error | null): void {
    this.#queue.push(item);
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  response(status = 200): HttpStreamResponse {
    const self = this;
    async function* body(): AsyncGenerator<Uint8Array> {
      for (;;) {
        if (self.cancelled) throw new Error("cancelled");
        const item = self.#queue.shift();
        if (item === undefined) {
          await new Promise<void>((resolve) => {
            self.#wake = resolve;
          });
          continue;
        }
        if (item === null) return;
        if (item instanceof Error) throw item;
        yield item;
      }
    }
    return {
      status,
      url: this.url,
      headers: new Headers({ "content-type": "application/json" }),
      body: body(),
      cancel: () => {
        this.cancelled = true;
        const wake = this.#wake;
        this.#wake = undefined;
        wake?.();
      },
    };
  }
}

/** `httpStream` for a platform: each call opens a {@link FakeStream}, or answers `status`. */
export function fakeStreamPlatform(): {
  httpStream(url: string, options: HttpStreamOptions): Promise<HttpStreamResponse>;
  streams: FakeStream[];
  /** The HTTP status the next subscriptions get (200 opens a stream). */
  status: number;
} {
  const out = {
    streams: [] as FakeStream[],
    status: 200,
    httpStream(url: string, options: HttpStreamOptions): Promise<HttpStreamResponse> {
      const stream = new FakeStream(url, options);
      out.streams.push(stream);
      if (out.status !== 200) {
        stream.end();
        return Promise.resolve(stream.response(out.status));
      }
      return Promise.resolve(stream.response());
    },
  };
  return out;
}

/** Lets pending promise callbacks run (the stream reader is async). */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
