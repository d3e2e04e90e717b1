/**
 * `Send` over the runtime's `fetch` (Bun, Deno): one exchange, redirects left to the caller.
 * fetch decompresses gzip itself and advertises it in Accept-Encoding.
 *
 * @module
 */
import type { Send } from "./_http-client.ts";

/** A `Send` that passes `extra` (Bun's `tls`, Deno's `client`) into every fetch call. */
export function fetchSend(extra: object): Send {
  return async (req) => {
    const init = {
      ...extra,
      method: req.method,
      headers: req.headers,
      body: req.body,
      redirect: "manual",
      signal: req.signal,
    } satisfies RequestInit;
    const res = await fetch(req.url, init);
    // Bun's and Deno's ReadableStream are async iterable; the DOM typings do not say so.
    return { status: res.status, headers: res.headers, body: res.body as AsyncIterable<Uint8Array> | null };
  };
}
