/**
 * The virtual network behind `memoryPlatform()`: UDP sockets and TCP listeners keyed by
 * address and port, delivering to each other with `queueMicrotask` (in order, never inside
 * the sender's call). `0.0.0.0` and `::` receive for every address of their port.
 *
 * @module
 */
import {
  NetError,
  type SocketAddress,
  type TcpConnection,
  type TcpConnectOptions,
  type TcpHandlers,
  type TcpListenOptions,
  type TcpServer,
  type UdpBindOptions,
  type UdpSocket,
} from "../core/platform.ts";
import { hostPort, isIpv6 } from "./_address.ts";

const WILDCARDS = new Set(["0.0.0.0", "::"]);
const FIRST_EPHEMERAL_PORT = 40000;

/** What a TCP port holds: a raw listener or an HTTP handler (see memory.ts). */
export interface MemoryListener {
  readonly local: SocketAddress;
  accept?(conn: TcpConnection): TcpHandlers;
  fetch?(request: Request, remote: SocketAddress): Response | Promise<Response>;
}

/** One address space of ports (UDP or TCP). */
export class PortTable<T extends { readonly local: SocketAddress }> {
  readonly #bound = new Map<string, T>();
  #nextPort = FIRST_EPHEMERAL_PORT;

  /** Claims `address:port` (0 allocates) for `make(local)`; rejects ADDRESS_IN_USE. */
  claim(address: string, port: number, kind: string, make: (local: SocketAddress) => T): T {
    if (port === 0) {
      while (this.#taken(address, this.#nextPort)) this.#nextPort++;
      port = this.#nextPort++;
    } else if (this.#taken(address, port)) {
      throw new NetError("ADDRESS_IN_USE", `Cannot bind ${kind} ${hostPort(address, port)}: address in use`);
    }
    const entry = make({ address, port });
    this.#bound.set(hostPort(address, port), entry);
    return entry;
  }

  release(entry: T): void {
    const key = hostPort(entry.local.address, entry.local.port);
    if (this.#bound.get(key) === entry) this.#bound.delete(key);
  }

  /** The entry receiving for `address:port`: exact first, then a wildcard of the port. */
  find(address: string, port: number): T | undefined {
    return (
      this.#bound.get(hostPort(address, port)) ??
      (isIpv6(address) ? undefined : this.#bound.get(hostPort("0.0.0.0", port))) ??
      this.#bound.get(hostPort("::", port))
    );
  }

  /** A free port number for the client side of a connection. */
  ephemeral(): number {
    return this.#nextPort++;
  }

  #taken(address: string, port: number): boolean {
    for (const entry of this.#bound.values()) {
      if (entry.local.port !== port) continue;
      const other = entry.local.address;
      if (other === address || WILDCARDS.has(other) || WILDCARDS.has(address)) return true;
    }
    return false;
  }
}

/** The address a socket bound to `local` sends from when talking to `to`. */
export function sourceAddress(local: string, to: string): string {
  if (!WILDCARDS.has(local)) return local;
  return isIpv6(to) ? "::1" : "127.0.0.1";
}

/** Binds a virtual UDP socket. */
export function bindMemoryUdp(table: PortTable<UdpSocket & { deliver: UdpBindOptions["onMessage"] }>) {
  return (options: UdpBindOptions): Promise<UdpSocket> => {
    try {
      let closed = false;
      const socket = table.claim(options.address, options.port, "UDP", (local) => ({
        local,
        deliver: options.onMessage,
        send(data: Uint8Array, to: SocketAddress): void {
          const target = table.find(to.address, to.port);
          if (closed || target === undefined) return;
          const copy = data.slice();
          const from = { address: sourceAddress(local.address, to.address), port: local.port };
          queueMicrotask(() => {
            if (table.find(to.address, to.port) === target) target.deliver(copy, from, target);
          });
        },
        close(): void {
          closed = true;
          table.release(socket);
        },
      }));
      return Promise.resolve(socket);
    } catch (err) {
      return Promise.reject(err);
    }
  };
}

/** One end of a virtual connection; `peer` is wired after both ends exist. */
interface End {
  conn: TcpConnection;
  handlers: TcpHandlers | undefined;
  peer: End | undefined;
  closed: boolean;
}

function end(remote: SocketAddress): End {
  const self: End = {
    handlers: undefined,
    peer: undefined,
    closed: false,
    conn: {
      remote,
      write(data: Uint8Array): void {
        const peer = self.peer;
        if (self.closed || peer === undefined || peer.closed) return;
        const copy = data.slice();
        queueMicrotask(() => peer.handlers?.onData(copy));
      },
      close(): void {
        if (self.closed) return;
        self.closed = true;
        // Queued after any pending writes, so data arrives before the close.
        queueMicrotask(() => {
          self.handlers?.onClose();
          const peer = self.peer;
          if (peer !== undefined && !peer.closed) {
            peer.closed = true;
            peer.handlers?.onClose();
          }
        });
      },
    },
  };
  return self;
}

/** Listens for virtual TCP connections. */
export function listenMemoryTcp(table: PortTable<MemoryListener>) {
  return (options: TcpListenOptions): Promise<TcpServer> => {
    try {
      const open = new Set<TcpConnection>();
      const listener = table.claim(options.address, options.port, "TCP", (local) => ({
        local,
        accept(conn: TcpConnection): TcpHandlers {
          open.add(conn);
          const handlers = options.onConnection(conn);
          return {
            onData: (chunk) => handlers.onData(chunk),
            onClose: () => {
              open.delete(conn);
              handlers.onClose();
            },
          };
        },
      }));
      return Promise.resolve({
        local: listener.local,
        close: async () => {
          table.release(listener);
          for (const conn of open) conn.close();
        },
      });
    } catch (err) {
      return Promise.reject(err);
    }
  };
}

/** Dials a virtual TCP listener; nothing listening means CONNECTION_REFUSED. */
export function connectMemoryTcp(table: PortTable<MemoryListener>) {
  return async (options: TcpConnectOptions): Promise<TcpConnection> => {
    await Promise.resolve();
    const listener = table.find(options.address, options.port);
    if (listener?.accept === undefined) {
      throw new NetError(
        "CONNECTION_REFUSED",
        `Cannot connect to TCP ${hostPort(options.address, options.port)}: connection refused`,
      );
    }
    const client = end({ address: options.address, port: options.port });
    const server = end({ address: sourceAddress("0.0.0.0", options.address), port: table.ephemeral() });
    client.peer = server;
    server.peer = client;
    client.handlers = options.handlers;
    server.handlers = listener.accept(server.conn);
    return client.conn;
  };
}
