/**
 * TCP for the Bun adapter over `Bun.listen` / `Bun.connect`. Bun's `write` takes only what the
 * kernel accepts, so the rest is queued here and flushed on `drain`.
 *
 * A peer that stops reading must not hold a connection or memory forever: a write made while
 * more than {@link MAX_QUEUED_BYTES} wait unsent drops the connection, and `close()` gives the
 * queue {@link CLOSE_DEADLINE_MS} to drain before the socket is terminated.
 *
 * @module
 */
import type { Socket, SocketHandler } from "bun";
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
import { CLOSE_DEADLINE_MS, MAX_QUEUED_BYTES } from "./_tcp-limits.ts";

/** Per-socket state, kept in Bun's `socket.data`. */
interface Slot {
  handlers: TcpHandlers | undefined;
  pending: Uint8Array[];
  /** Bytes in `pending`. */
  queued: number;
  ending: boolean;
  /** Terminates the socket if `close()` has not completed in time. */
  deadline: ReturnType<typeof setTimeout> | undefined;
  closed: boolean;
  /** A dial that timed out: close it if it connects after all. */
  abandoned: boolean;
}

const newSlot = (handlers?: TcpHandlers): Slot => ({
  handlers,
  pending: [],
  queued: 0,
  ending: false,
  deadline: undefined,
  closed: false,
  abandoned: false,
});

function flush(socket: Socket<Slot>): void {
  const slot = socket.data;
  while (slot.pending.length > 0) {
    const head = slot.pending[0]!;
    const n = socket.write(head);
    if (n < 0) return;
    slot.queued -= Math.min(n, head.byteLength);
    if (n < head.byteLength) {
      slot.pending[0] = head.subarray(n);
      return;
    }
    slot.pending.shift();
  }
  if (slot.ending) socket.end();
}

function connection(socket: Socket<Slot>): TcpConnection {
  const slot = socket.data;
  return {
    remote: { address: unmapAddress(socket.remoteAddress), port: socket.remotePort },
    write(data: Uint8Array): void {
      if (slot.closed || slot.ending) return;
      if (slot.queued > MAX_QUEUED_BYTES) {
        socket.terminate();
        return;
      }
      if (slot.pending.length > 0) {
        slot.pending.push(data.slice());
        slot.queued += data.byteLength;
        return;
      }
      const n = socket.write(data);
      if (n >= 0 && n < data.byteLength) {
        slot.pending.push(data.slice(n));
        slot.queued += data.byteLength - n;
      }
    },
    close(): void {
      if (slot.closed || slot.ending) return;
      slot.ending = true;
      // `drain` never comes while the peer keeps its window shut, and Bun's `end()` waits for it.
      slot.deadline = setTimeout(() => socket.terminate(), CLOSE_DEADLINE_MS);
      if (slot.pending.length === 0) socket.end();
    },
  };
}

function closed(socket: Socket<Slot>): void {
  const slot = socket.data;
  if (slot.closed) return;
  slot.closed = true;
  clearTimeout(slot.deadline);
  slot.pending = [];
  slot.queued = 0;
  slot.handlers?.onClose();
}

const common: SocketHandler<Slot, "uint8array"> = {
  binaryType: "uint8array",
  data: (socket, data) => socket.data.handlers?.onData(data),
  drain: flush,
  close: closed,
  // An error is followed by `close`, which is all the contract reports.
  error: () => {},
};

/** Listens with `Bun.listen`; `close` stops accepting and closes every connection. */
export function listenBunTcp(options: TcpListenOptions): Promise<TcpServer> {
  try {
    const listener = Bun.listen<Slot>({
      hostname: options.address,
      port: options.port,
      exclusive: true,
      data: newSlot(),
      socket: {
        ...common,
        open(socket) {
          socket.data = newSlot();
          socket.setNoDelay(true);
          socket.data.handlers = options.onConnection(connection(socket));
        },
      } as SocketHandler<Slot>,
    });
    return Promise.resolve({
      local: { address: options.address, port: listener.port },
      close: async () => listener.stop(true),
    });
  } catch (err) {
    return Promise.reject(mapError(err, `Cannot listen on TCP ${hostPort(options.address, options.port)}`));
  }
}

/** Dials with `Bun.connect`, rejecting with `TIMED_OUT` past `timeoutMs`. */
export function connectBunTcp(options: TcpConnectOptions): Promise<TcpConnection> {
  const where = hostPort(options.address, options.port);
  const slot = newSlot(options.handlers);
  return new Promise((resolve, reject) => {
    // Bun cannot cancel a dial: on timeout the socket is closed if it ever connects.
    const timer = setTimeout(() => {
      slot.abandoned = true;
      slot.handlers = undefined;
      reject(
        new NetError("TIMED_OUT", `Cannot connect to TCP ${where}: timed out after ${options.timeoutMs} ms`),
      );
    }, options.timeoutMs);
    Bun.connect<Slot>({
      hostname: options.address,
      port: options.port,
      data: slot,
      socket: {
        ...common,
        open(socket) {
          if (slot.abandoned) socket.terminate();
          else socket.setNoDelay(true);
        },
        connectError() {},
      } as SocketHandler<Slot>,
    }).then(
      (socket) => {
        clearTimeout(timer);
        if (slot.abandoned) return;
        resolve(connection(socket));
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(mapError(err, `Cannot connect to TCP ${where}`));
      },
    );
  });
}
