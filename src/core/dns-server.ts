/**
 * The DNS listeners (SPEC 6.1): one UDP socket and one TCP server on `Listener:Port`,
 * both feeding the same handler. TCP uses 2-byte length framing, serves several queries
 * per connection (pipelined replies may come back out of order, RFC 7766), and closes
 * idle connections.
 *
 * @module
 */
import type { DnsHandler } from "./dns-handler.ts";
import type { Platform, SocketAddress, TcpConnection, TcpServer, UdpSocket } from "./platform.ts";
import { FrameReader, frameMessage } from "./tcp-framing.ts";

export interface DnsServerOptions {
  readonly platform: Platform;
  readonly address: string;
  readonly port: number;
  readonly handler: DnsHandler;
  /** Idle time before a TCP connection is closed, ms (upstream: 2 s before the first query, then 8 s). */
  readonly tcpIdleMs?: number;
  /** Queries served on one TCP connection before it is closed (upstream: 128). */
  readonly tcpMaxQueries?: number;
  readonly onError?: (error: unknown) => void;
}

export interface DnsServer {
  readonly udp: SocketAddress;
  readonly tcp: SocketAddress;
  close(): Promise<void>;
}

/** Binds UDP and TCP; the TCP port follows the UDP one when `port` is 0. */
export async function startDnsServer(options: DnsServerOptions): Promise<DnsServer> {
  const { platform, handler } = options;
  const udp: UdpSocket = await platform.bindUdp({
    address: options.address,
    port: options.port,
    onMessage(data, from, socket) {
      const out = handler(data, "udp");
      if (out === undefined) return;
      if (out instanceof Uint8Array) socket.send(out, from);
      else out.then((reply) => socket.send(reply, from), options.onError);
    },
  });
  let tcp: TcpServer;
  try {
    tcp = await platform.listenTcp({
      address: options.address,
      port: udp.local.port,
      onConnection: (conn) => tcpSession(conn, options),
    });
  } catch (error) {
    udp.close();
    throw error;
  }
  return {
    udp: udp.local,
    tcp: tcp.local,
    async close() {
      udp.close();
      await tcp.close();
    },
  };
}

function tcpSession(conn: TcpConnection, options: DnsServerOptions) {
  const reader = new FrameReader();
  const idleMs = options.tcpIdleMs ?? 8000;
  const maxQueries = options.tcpMaxQueries ?? 128;
  let served = 0;
  let pending = 0;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const arm = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => conn.close(), idleMs);
  };
  const send = (reply: Uint8Array) => {
    pending--;
    if (closed) return;
    conn.write(frameMessage(reply));
    if (served >= maxQueries && pending === 0) conn.close();
  };
  arm();
  return {
    onData(chunk: Uint8Array) {
      const messages = reader.push(chunk);
      if (messages === undefined) return conn.close();
      for (const message of messages) {
        // A zero length prefix closes the connection, as upstream.
        if (message.length === 0 || served >= maxQueries) return conn.close();
        served++;
        arm();
        const out = options.handler(message, "tcp");
        if (out === undefined) continue;
        pending++;
        if (out instanceof Uint8Array) send(out);
        else out.then(send, options.onError);
      }
    },
    onClose() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
