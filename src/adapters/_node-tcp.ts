/**
 * TCP over `node:net`, shared by the Node and Deno adapters. Deno runs it through its Node
 * compatibility layer: one event-style implementation that already matches the contract's
 * callbacks, with the runtime's own write buffering, instead of a second pull-style loop
 * over `Deno.Conn` that would be written and tested separately.
 *
 * A peer that stops reading must not hold a connection or memory forever: a write made while
 * more than {@link MAX_QUEUED_BYTES} wait unsent destroys the socket, and `close()` gives the
 * queue {@link CLOSE_DEADLINE_MS} to drain (`end()` alone waits for it without limit).
 *
 * @module
 */
import { connect, createServer, type Socket } from "node:net";
import {
  NetError,
  type TcpConnection,
  type TcpConnectOptions,
  type TcpHandlers,
  type TcpListenOptions,
  type TcpServer,
} from "../core/platform.ts";
import { hostPort, unmapAddress } from "./_address.ts";
import { mapError } from "./_map-error.ts";
import { listenNodeServer } from "./_node-listen.ts";
import { CLOSE_DEADLINE_MS, MAX_QUEUED_BYTES } from "./_tcp-limits.ts";

/** Wraps a connected socket; `handlers` may be provided after wrapping (accepting side). */
function wrap(socket: Socket): { conn: TcpConnection; attach(handlers: TcpHandlers): void } {
  socket.setNoDelay(true);
  let closing = false;
  const conn: TcpConnection = {
    remote: { address: unmapAddress(socket.remoteAddress ?? ""), port: socket.remotePort ?? 0 },
    write(data: Uint8Array): void {
      if (!socket.writable) return;
      if (socket.writableLength > MAX_QUEUED_BYTES) socket.destroy();
      else socket.write(data);
    },
    close(): void {
      if (closing || socket.destroyed) return;
      closing = true;
      if (!socket.writable) {
        socket.destroy();
        return;
      }
      const deadline = setTimeout(() => socket.destroy(), CLOSE_DEADLINE_MS);
      socket.once("close", () => clearTimeout(deadline));
      // Flush what is queued, send FIN, then release the descriptor.
      socket.end(() => socket.destroy());
    },
  };
  return {
    conn,
    attach(handlers: TcpHandlers): void {
      socket.on("data", (chunk: Buffer) => {
        handlers.onData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      });
      // 'error' is always followed by 'close'; the contract reports only the close.
      socket.on("error", () => {});
      socket.once("close", () => handlers.onClose());
    },
  };
}

/** Listens for TCP connections on `options.address:options.port`. */
export function listenNodeTcp(options: TcpListenOptions): Promise<TcpServer> {
  const open = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
    const { conn, attach } = wrap(socket);
    attach(options.onConnection(conn));
  });
  return listenNodeServer(server, options, "TCP", () => {
    for (const socket of open) socket.destroy();
  });
}

/** Connects to `options.address:options.port`, rejecting with `TIMED_OUT` past `timeoutMs`. */
export function connectNodeTcp(options: TcpConnectOptions): Promise<TcpConnection> {
  const where = hostPort(options.address, options.port);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.address, port: options.port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new NetError("TIMED_OUT", `Cannot connect to TCP ${where}: timed out after ${options.timeoutMs} ms`),
      );
    }, options.timeoutMs);
    socket.once("error", (err) => {
      clearTimeout(timer);
      reject(mapError(err, `Cannot connect to TCP ${where}`));
    });
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      const { conn, attach } = wrap(socket);
      attach(options.handlers);
      resolve(conn);
    });
  });
}
