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
  Platform,
} from "../core/platform.ts";
import { hostPort, unmapAddress } from "./_address.ts";
import { requestWithRedirects } from "./_http-client.ts";
import { mapError } from "./_map-error.ts";
import { nodeHttpSend } from "./_node-http-send.ts";
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
  return new Promise((resolve, reject) => {
    server.once("error", (err) => {
      reject(mapError(err, `Cannot serve HTTP on ${hostPort(options.address, options.port)}`));
    });
    server.listen({ host: options.address, port: options.port, exclusive: true }, () => {
      server.removeAllListeners("error");
      server.on("error", () => {});
      const bound = server.address();
      const port = typeof bound === "object" && bound !== null ? bound.port : options.port;
      resolve({
        local: { address: options.address, port },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function httpRequest(url: string, options: HttpRequestOptions): Promise<HttpResponseData> {
  return requestWithRedirects(url, options, nodeHttpSend(options.tls));
}

/** The Platform on Node. */
export const nodePlatform = {
  name: "node",
  bindUdp: bindNodeUdp,
  listenTcp: listenNodeTcp,
  connectTcp: connectNodeTcp,
  serveHttp,
  httpRequest,
  lookupHost: lookupNodeHost,
  readTextFile: readNodeTextFile,
  checkTlsMaterial: checkTlsMaterialWithNodeCrypto,
  localAddresses: nodeLocalAddresses,
  ...nodeProcess,
} satisfies Platform;
