/**
 * The DNS listeners (docs/spec.md §6.1): one UDP socket and one TCP server on `Listener:Port`,
 * both feeding the same handler. TCP uses 2-byte length framing, serves several queries
 * per connection (pipelined replies may come back out of order, RFC 7766), and closes
 * idle connections.
 *
 * @module
 */

import type { Platform, SocketAddress, TcpConnection, TcpServer, UdpSocket } from "../platform.ts";
import type { DnsHandler } from "./dns-handler.ts";
import { FrameReader, frameMessage } from "./tcp-framing.ts";

export interface DnsServerOptions {
  readonly platform: Platform;
  readonly address: string;
  readonly port: number;
  readonly handler: DnsHandler;
  /** Time a new TCP connection has to send its first query, ms (upstream: 2 s). */
  readonly tcpFirstQueryMs?: number;
  /** Idle time between queries before a TCP connection is closed, ms (upstream: 8 s). */
  readonly tcpIdleMs?: number;
  /** Open TCP connections at once; more are closed on arrival (default 1024). */
  readonly tcpMaxConnections?: number;
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
  const limits: SessionLimits = { open: 0 };
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
      onConnection: (conn) => tcpSession(conn, options, limits),
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

interface SessionLimits {
  /** Open connections right now, shared by all sessions of one server. */
  open: number;
}

function tcpSession(conn: TcpConnection, options: DnsServerOptions, limits: SessionLimits) {
  const reader = new FrameReader();
  const firstMs = options.tcpFirstQueryMs ?? 2000;
  const idleMs = options.tcpIdleMs ?? 8000;
  const maxQueries = options.tcpMaxQueries ?? 128;
  let served = 0;
  let pending = 0;
  let closed = false;
  /** No more queries are read; the connection closes once the pending replies are written. */
  let draining = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  limits.open++;
  const close = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    conn.close();
  };
  /** Upstream: 2 s for the first query, then 8 s between queries; never while replies are owed. */
  const arm = (ms: number) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = pending > 0 ? undefined : setTimeout(close, ms);
  };
  const send = (reply: Uint8Array) => {
    pending--;
    if (closed) return;
    conn.write(frameMessage(reply));
    if (pending > 0) return;
    if (draining) close();
    else arm(idleMs);
  };
  const stopReading = () => {
    draining = true;
    if (pending === 0) close();
  };

  if (limits.open > (options.tcpMaxConnections ?? 1024)) {
    // Past the connection cap a new connection is closed at once (the client retries later).
    queueMicrotask(close);
  } else arm(firstMs);
  return {
    onData(chunk: Uint8Array) {
      if (draining || closed) return;
      for (const message of reader.push(chunk)) {
        // A zero length prefix ends the connection, as upstream; so does the query limit.
        if (message.length === 0 || served >= maxQueries) return stopReading();
        served++;
        const out = options.handler(message, "tcp");
        if (out === undefined) continue;
        pending++;
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        if (out instanceof Uint8Array) send(out);
        else out.then(send, options.onError);
      }
      if (served >= maxQueries) stopReading();
    },
    onClose() {
      if (closed) return;
      closed = true;
      limits.open--;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
