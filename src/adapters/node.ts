/**
 * The Node adapter (Node 20+): `node:dgram`, `node:net`, `node:http` with
 * `@hono/node-server`'s request listener, and `node:http(s)` for outgoing requests.
 *
 * @module
 */

import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type {
  HttpRequestOptions,
  HttpResponseData,
  HttpServeOptions,
  HttpServer,
  HttpStreamOptions,
  HttpStreamResponse,
  Platform,
} from "../core/platform.ts";
import { unmapAddress } from "./_address.ts";
import { requestWithRedirects, streamWithRedirects } from "./_http-client.ts";
import { nodeHttpSend } from "./_node-http-send.ts";
import { listenNodeServer } from "./_node-listen.ts";
import { lookupNodeHost, nodeLocalAddresses, nodeProcess, readNodeTextFile } from "./_node-system.ts";
import { connectNodeTcp, listenNodeTcp } from "./_node-tcp.ts";
import { checkTlsMaterialWithNodeCrypto } from "./_node-tls.ts";
import { bindNodeUdp } from "./_node-udp.ts";

function serveHttp(options: HttpServeOptions): Promise<HttpServer> {
  const listener = getRequestListener(
    (request, env) => {
      const socket = env.incoming.socket;
      const remote =
        socket.remoteAddress === undefined
          ? undefined
          : { address: unmapAddress(socket.remoteAddress), port: socket.remotePort ?? 0 };
      return options.fetch(request, remote);
    },
    // Leave the global Request/Response alone: an adapter must not change the process.
    { overrideGlobalObjects: false },
  );
  const server = createServer(listener);
  return listenNodeServer(server, options, "HTTP", () => server.closeAllConnections());
}

function httpRequest(url: string, options: HttpRequestOptions): Promise<HttpResponseData> {
  return requestWithRedirects(url, options, nodeHttpSend(options.tls));
}

function httpStream(url: string, options: HttpStreamOptions): Promise<HttpStreamResponse> {
  return streamWithRedirects(url, options, nodeHttpSend(options.tls));
}

/** The Platform on Node. */
export const nodePlatform = {
  name: "node",
  bindUdp: bindNodeUdp,
  listenTcp: listenNodeTcp,
  connectTcp: connectNodeTcp,
  serveHttp,
  httpRequest,
  httpStream,
  lookupHost: lookupNodeHost,
  readTextFile: readNodeTextFile,
  checkTlsMaterial: checkTlsMaterialWithNodeCrypto,
  localAddresses: nodeLocalAddresses,
  ...nodeProcess,
} satisfies Platform;
