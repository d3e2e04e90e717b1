/**
 * UDP over `node:dgram`, shared by the Node and Deno adapters (Deno's own datagram API
 * still needs `--unstable-net`; `node:dgram` works with `--allow-net` alone).
 *
 * @module
 */
import { createSocket, type Socket } from "node:dgram";
import type { SocketAddress, UdpBindOptions, UdpSocket } from "../core/platform.ts";
import { hostPort, isIpv6, mapToIpv6, unmapAddress } from "./_address.ts";
import { mapError } from "./_map-error.ts";

/** Binds a UDP socket: `udp6` for an IPv6 address (dual-stack for `::`), `udp4` otherwise. */
export function bindNodeUdp(options: UdpBindOptions): Promise<UdpSocket> {
  const v6 = isIpv6(options.address);
  const raw: Socket = createSocket({ type: v6 ? "udp6" : "udp4", ipv6Only: false });
  let closed = false;
  let local: SocketAddress = { address: options.address, port: options.port };
  const socket: UdpSocket = {
    get local() {
      return local;
    },
    send(data: Uint8Array, to: SocketAddress): void {
      if (closed) return;
      // A udp4 socket cannot reach IPv6; a udp6 one reaches IPv4 through a mapped address.
      if (!v6 && isIpv6(to.address)) return;
      const address = v6 ? mapToIpv6(to.address) : to.address;
      try {
        raw.send(data, to.port, address, ignore);
      } catch {
        // UDP semantics: a datagram that cannot be sent is dropped.
      }
    },
    close(): void {
      if (closed) return;
      closed = true;
      raw.close();
    },
  };
  return new Promise((resolve, reject) => {
    raw.once("error", (err) => {
      closed = true;
      reject(mapError(err, `Cannot bind UDP ${hostPort(options.address, options.port)}`));
    });
    raw.bind({ address: options.address, port: options.port, exclusive: true }, () => {
      raw.removeAllListeners("error");
      // Errors after bind (e.g. ICMP unreachable surfaced by some kernels) are per datagram.
      raw.on("error", ignore);
      const bound = raw.address();
      local = { address: unmapAddress(bound.address), port: bound.port };
      raw.on("message", (msg, rinfo) => {
        const data = new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
        options.onMessage(data, { address: unmapAddress(rinfo.address), port: rinfo.port }, socket);
      });
      resolve(socket);
    });
  });
}

function ignore(): void {}
