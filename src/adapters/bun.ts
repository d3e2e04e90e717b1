/**
 * The Bun adapter: `Bun.udpSocket` (the fast path), `Bun.listen` / `Bun.connect`, `Bun.serve`,
 * and fetch with Bun's `tls` option; system services through `_node-system.ts`.
 *
 * @module
 */

import type { udp } from "bun";
import type {
  HttpRequestOptions,
  HttpResponseData,
  HttpServeOptions,
  HttpServer,
  HttpStreamOptions,
  HttpStreamResponse,
  Platform,
  SocketAddress,
  TlsClientOptions,
  UdpBindOptions,
  UdpSocket,
} from "../core/platform.ts";
import { hostPort, isIpv6, mapToIpv6, unmapAddress } from "./_address.ts";
import { connectBunTcp, listenBunTcp } from "./_bun-tcp.ts";
import { fetchSend } from "./_fetch-send.ts";
import { requestWithRedirects, streamWithRedirects } from "./_http-client.ts";
import { mapError } from "./_map-error.ts";
import { lookupNodeHost, nodeLocalAddresses, nodeProcess, readNodeTextFile } from "./_node-system.ts";
import { checkTlsMaterialWithNodeCrypto } from "./_node-tls.ts";

async function bindUdp(options: UdpBindOptions): Promise<UdpSocket> {
  const v6 = isIpv6(options.address);
  let socket: UdpSocket | undefined;
  let raw: udp.Socket<"uint8array">;
  try {
    raw = await Bun.udpSocket({
      hostname: options.address,
      port: options.port,
      binaryType: "uint8array",
      socket: {
        data(_raw, data, port, address) {
          if (socket) options.onMessage(data, { address: unmapAddress(address), port }, socket);
        },
        // ICMP errors (a datagram sent to a closed port comes back as ECONNREFUSED) are
        // normal UDP life: without a handler Bun would throw them as uncaught errors.
        error() {},
      },
    });
  } catch (err) {
    throw mapError(err, `Cannot bind UDP ${hostPort(options.address, options.port)}`);
  }
  const bound = raw;
  socket = {
    local: { address: unmapAddress(bound.address.address), port: bound.port },
    send(data: Uint8Array, to: SocketAddress): void {
      if (bound.closed || (!v6 && isIpv6(to.address))) return;
      try {
        // false means the kernel buffer is full: UDP drops the datagram.
        bound.send(data, to.port, v6 ? mapToIpv6(to.address) : to.address);
      } catch {
        // an unsendable datagram is dropped
      }
    },
    close(): void {
      if (!bound.closed) bound.close();
    },
  };
  return socket;
}

function serveHttp(options: HttpServeOptions): Promise<HttpServer> {
  try {
    const server = Bun.serve({
      hostname: options.address,
      port: options.port,
      development: false,
      fetch(request, srv) {
        const ip = srv.requestIP(request);
        const remote = ip === null ? undefined : { address: unmapAddress(ip.address), port: ip.port };
        return options.fetch(request, remote);
      },
    });
    return Promise.resolve({
      local: { address: options.address, port: server.port ?? options.port },
      close: () => server.stop(true),
    });
  } catch (err) {
    return Promise.reject(mapError(err, `Cannot serve HTTP on ${hostPort(options.address, options.port)}`));
  }
}

function httpRequest(url: string, options: HttpRequestOptions): Promise<HttpResponseData> {
  return requestWithRedirects(url, options, fetchSend(tlsExtra(options.tls)));
}

function httpStream(url: string, options: HttpStreamOptions): Promise<HttpStreamResponse> {
  return streamWithRedirects(url, options, fetchSend(tlsExtra(options.tls)));
}

/** Bun's `tls` fetch option for our TLS settings. */
function tlsExtra(tls: TlsClientOptions | undefined): object {
  const extra =
    tls === undefined
      ? {}
      : {
          tls: {
            ca: tls.ca,
            cert: tls.cert,
            key: tls.key,
            rejectUnauthorized: tls.ca !== undefined || tls.verify,
          },
        };
  return extra;
}

/** The Platform on Bun. */
export const bunPlatform = {
  name: "bun",
  bindUdp,
  listenTcp: listenBunTcp,
  connectTcp: connectBunTcp,
  serveHttp,
  httpRequest,
  httpStream,
  lookupHost: lookupNodeHost,
  readTextFile: readNodeTextFile,
  checkTlsMaterial: checkTlsMaterialWithNodeCrypto,
  localAddresses: nodeLocalAddresses,
  ...nodeProcess,
} satisfies Platform;
