/**
 * `Send` over `node:http` / `node:https` for the Node adapter, with
 * gzip decoded by `node:zlib` and TLS options passed to the socket.
 *
 * @module
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { createGunzip } from "node:zlib";
import type { TlsClientOptions } from "../core/platform.ts";
import type { Send, SentResponse } from "./_http-client.ts";

/** A `Send` using Node's HTTP client with `tls` applied to HTTPS URLs. */
export function nodeHttpSend(tls: TlsClientOptions | undefined): Send {
  const tlsOptions =
    tls === undefined
      ? {}
      : {
          ca: tls.ca,
          cert: tls.cert,
          key: tls.key,
          rejectUnauthorized: tls.ca !== undefined || tls.verify,
        };
  return (req) =>
    new Promise<SentResponse>((resolve, reject) => {
      const https = req.url.protocol === "https:";
      // Like Go's transport: ask for gzip and decode it, unless the caller chose an encoding.
      const transparent = !Object.keys(req.headers).some((k) => k.toLowerCase() === "accept-encoding");
      const headers = transparent ? { ...req.headers, "accept-encoding": "gzip" } : { ...req.headers };
      const options = { method: req.method, headers, ...(https ? tlsOptions : {}) };
      const onResponse = (res: IncomingMessage): void => {
        const out = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
          out.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        // Errors reach the reader through the body iterator; these listeners only keep an
        // error after the reader has left from becoming an uncaught 'error' event.
        res.on("error", ignore);
        let body: AsyncIterable<Uint8Array> = res;
        if (transparent && res.headers["content-encoding"]?.toLowerCase() === "gzip") {
          const gunzip = createGunzip();
          gunzip.on("error", ignore);
          res.on("error", (err) => gunzip.destroy(err));
          gunzip.on("close", () => res.destroy());
          body = res.pipe(gunzip);
        }
        resolve({ status: res.statusCode ?? 0, headers: out, body });
      };
      const r = https
        ? httpsRequest(req.url, options, onResponse)
        : httpRequest(req.url, options, onResponse);
      r.on("error", reject);
      // Not `signal` in the options: Node then destroys the socket *with* an error that has
      // no listener once the response has started; a plain destroy() does not.
      const abort = (): void => {
        r.destroy();
      };
      if (req.signal.aborted) abort();
      req.signal.addEventListener("abort", abort, { once: true });
      r.once("close", () => req.signal.removeEventListener("abort", abort));
      r.end(req.body);
    });
}

function ignore(): void {}
