/**
 * The Deno adapter: `Deno.serve`, `fetch` with `Deno.createHttpClient`, `Deno.*` system calls;
 * UDP and TCP through `node:dgram` / `node:net` (see `_node-udp.ts`, `_node-tcp.ts`).
 *
 * Permissions: `--allow-net` for every address bound or dialled (`[::]` and `0.0.0.0` when
 * binding those) and for host names looked up (`localhost`), `--allow-read` for files read,
 * `--allow-env` for variables read, `--allow-sys=networkInterfaces` for `localAddresses`.
 * No `--unstable-*` flag. A missing net permission is PERMISSION_DENIED, asked up front
 * because Deno's node:dgram / node:net would throw it uncaught on a later tick.
 *
 * Known gap: `tls.verify: false` without a CA still verifies (with a one-time warning):
 * Deno's fetch cannot skip verification per client; `--unsafely-ignore-certificate-errors`
 * does it for the whole process.
 *
 * @module
 */

import {
  type HttpRequestOptions,
  type HttpResponseData,
  type HttpServeOptions,
  type HttpServer,
  type HttpStreamOptions,
  type HttpStreamResponse,
  NetError,
  type Platform,
  type TlsClientOptions,
} from "../core/platform.ts";
import { hostPort } from "./_address.ts";
import { deno } from "./_deno-api.ts";
import { fetchSend } from "./_fetch-send.ts";
import { requestWithRedirects, type Send, streamWithRedirects } from "./_http-client.ts";
import { mapError } from "./_map-error.ts";
import { lookupNodeHost } from "./_node-system.ts";
import { connectNodeTcp, listenNodeTcp } from "./_node-tcp.ts";
import { checkTlsMaterialWithNodeCrypto } from "./_node-tls.ts";
import { bindNodeUdp } from "./_node-udp.ts";

/**
 * Deno's node:dgram and node:net raise a missing --allow-net as an uncaught error on a later
 * tick, which would end the process; asking first turns it into PERMISSION_DENIED.
 */
function withNetPermission<O extends { readonly address: string; readonly port: number }, R>(
  open: (options: O) => Promise<R>,
): (options: O) => Promise<R> {
  return (options) => {
    const host = hostPort(options.address, options.port);
    if (deno().permissions.requestSync({ name: "net", host }).state === "granted") return open(options);
    // Port 0 means any port: the flag then names the host alone.
    const flag = options.port === 0 ? host.slice(0, host.lastIndexOf(":")) : host;
    return Promise.reject(
      new NetError(
        "PERMISSION_DENIED",
        `No network permission for ${host}: run Deno with --allow-net=${flag}`,
      ),
    );
  };
}

function serveHttp(options: HttpServeOptions): Promise<HttpServer> {
  try {
    const server = deno().serve(
      { hostname: options.address, port: options.port, onListen() {} },
      (request, info) =>
        options.fetch(request, { address: info.remoteAddr.hostname, port: info.remoteAddr.port }),
    );
    return Promise.resolve({
      local: { address: options.address, port: server.addr.port },
      // shutdown() waits for every request in flight: a client holding one open must not
      // hold up the caller for ever (the listener itself is closed at once).
      close: () => Promise.race([server.shutdown(), new Promise<void>((done) => setTimeout(done, 500))]),
    });
  } catch (err) {
    return Promise.reject(mapError(err, `Cannot serve HTTP on ${hostPort(options.address, options.port)}`));
  }
}

let warnedNoVerify = false;

async function httpRequest(url: string, options: HttpRequestOptions): Promise<HttpResponseData> {
  const { send, close } = denoSend(url, options.tls);
  try {
    return await requestWithRedirects(url, options, send);
  } finally {
    close();
  }
}

function httpStream(url: string, options: HttpStreamOptions): Promise<HttpStreamResponse> {
  const { send, close } = denoSend(url, options.tls);
  // The HTTP client (when one was made) lives as long as the stream.
  return streamWithRedirects(url, options, send, close);
}

/** A fetch `Send` for `tls`, with its own HTTP client when a CA or client certificate is set. */
function denoSend(url: string, tls: TlsClientOptions | undefined): { send: Send; close: () => void } {
  const https = url.startsWith("https:");
  if (https && tls !== undefined && tls.ca === undefined && !tls.verify && !warnedNoVerify) {
    // Deno's fetch has no per-client switch to skip verification. (Its node:https layer
    // has one, but needs unscoped --allow-sys, as Deno 2.9 asks for sys "ca", which the
    // flag cannot name.) The process-wide flag named below is the Deno way.
    warnedNoVerify = true;
    console.warn(
      "mesos-dns: on Deno, TLS certificates are verified even without a CA file; " +
        "run with --unsafely-ignore-certificate-errors=<host> to skip verification as upstream does",
    );
  }
  const clientCert = tls?.cert !== undefined && tls.key !== undefined;
  if (tls?.ca === undefined && !clientCert) return { send: fetchSend({}), close: () => {} };
  const client = deno().createHttpClient({
    ...(tls?.ca === undefined ? {} : { caCerts: [tls.ca] }),
    ...(tls?.cert === undefined || tls.key === undefined ? {} : { cert: tls.cert, key: tls.key }),
  });
  return { send: fetchSend({ client }), close: () => client.close() };
}

async function readTextFile(path: string): Promise<string> {
  try {
    return await deno().readTextFile(path);
  } catch (err) {
    throw mapError(err, `Cannot read file "${path}"`);
  }
}

// Deno reports loopback interfaces without an "internal" flag.
const LOOPBACK = /^(?:127\.|::1$)/;

/** The Platform on Deno. */
export const denoPlatform = {
  name: "deno",
  bindUdp: withNetPermission(bindNodeUdp),
  listenTcp: withNetPermission(listenNodeTcp),
  connectTcp: withNetPermission(connectNodeTcp),
  serveHttp,
  httpRequest,
  httpStream,
  lookupHost: lookupNodeHost,
  readTextFile,
  checkTlsMaterial: checkTlsMaterialWithNodeCrypto,
  localAddresses: () =>
    deno()
      .networkInterfaces()
      .map((i) => i.address.split("%")[0]!)
      .filter((a) => !LOOPBACK.test(a)),
  env: (name) => deno().env.get(name),
  cwd: () => deno().cwd(),
  onSignal: (signal, handler) => deno().addSignalListener(signal, handler),
} satisfies Platform;
