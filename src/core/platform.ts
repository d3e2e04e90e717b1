/**
 * The one contract every runtime adapter implements (Bun, Deno, Node, in-memory).
 *
 * Adapters translate between this contract and their runtime; they hold no logic:
 * timeouts, retries, framing, ID matching and truncation live in `src/core`.
 * Runtime errors are mapped at the boundary into {@link NetError} with one of a
 * few codes, so nothing above the adapters inspects runtime-specific errors.
 *
 * @module
 */

/** An IP address and port. IPv6 addresses are written without brackets. */
export interface SocketAddress {
  readonly address: string;
  readonly port: number;
}

/** The small set of failure kinds the core distinguishes. */
export type NetErrorCode =
  | "ADDRESS_IN_USE"
  | "PERMISSION_DENIED"
  | "ADDRESS_NOT_AVAILABLE"
  | "CONNECTION_REFUSED"
  | "TIMED_OUT"
  | "CLOSED"
  | "NOT_FOUND"
  | "TOO_LARGE"
  | "TLS"
  | "OTHER";

/** A network or I/O failure, mapped from a runtime error by an adapter. */
export class NetError extends Error {
  readonly code: NetErrorCode;
  constructor(code: NetErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NetError";
    this.code = code;
  }
}

// ---------------------------------------------------------------- UDP

/** A bound UDP socket. `send` never throws; send failures are dropped (UDP semantics). */
export interface UdpSocket {
  readonly local: SocketAddress;
  send(data: Uint8Array, to: SocketAddress): void;
  close(): void;
}

export interface UdpBindOptions {
  /** Address to bind; `0.0.0.0` / `::` for all. */
  readonly address: string;
  /** Port; 0 picks a free one (see `UdpSocket.local`). */
  readonly port: number;
  /**
   * Called once per datagram. `data` may be a view into a buffer the adapter reuses:
   * copy it if it must outlive the call.
   */
  onMessage(data: Uint8Array, from: SocketAddress, socket: UdpSocket): void;
}

// ---------------------------------------------------------------- TCP

/** One TCP connection, either accepted by a server or dialled by `connectTcp`. */
export interface TcpConnection {
  readonly remote: SocketAddress;
  /**
   * Queues bytes for sending; never throws (a write to a closed connection is dropped). A write
   * made while more than 1 MB is already waiting unsent (a peer that does not read) drops the
   * connection.
   */
  write(data: Uint8Array): void;
  /**
   * Closes the connection after flushing what the peer accepts, at most 1 s later (then the
   * connection is torn down); `onClose` of its handlers runs once.
   */
  close(): void;
}

/** Callbacks for a TCP connection's events. `onData` chunks are not framed in any way. */
export interface TcpHandlers {
  onData(chunk: Uint8Array): void;
  onClose(): void;
}

export interface TcpServer {
  readonly local: SocketAddress;
  /** Stops accepting and closes every open connection. */
  close(): Promise<void>;
}

export interface TcpListenOptions {
  readonly address: string;
  readonly port: number;
  /** Called for each accepted connection; returns the handlers for its events. */
  onConnection(conn: TcpConnection): TcpHandlers;
}

export interface TcpConnectOptions {
  readonly address: string;
  readonly port: number;
  /** Connect timeout in milliseconds; rejects with `TIMED_OUT`. */
  readonly timeoutMs: number;
  readonly handlers: TcpHandlers;
}

// ---------------------------------------------------------------- HTTP

export interface HttpServer {
  readonly local: SocketAddress;
  close(): Promise<void>;
}

export interface HttpServeOptions {
  readonly address: string;
  readonly port: number;
  fetch(request: Request, remote: SocketAddress | undefined): Response | Promise<Response>;
}

/** TLS settings for outgoing HTTPS requests (to the Mesos master or the IAM endpoint). */
export interface TlsClientOptions {
  /** PEM bundle to verify the server against; when absent, `verify` decides. */
  readonly ca?: string;
  /** PEM client certificate and key. */
  readonly cert?: string;
  readonly key?: string;
  /** Verify the server certificate. Upstream verifies only when a CA file is given. */
  readonly verify: boolean;
}

export interface HttpRequestOptions {
  readonly method: "GET" | "POST";
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Whole-request timeout in milliseconds; rejects with `TIMED_OUT`. */
  readonly timeoutMs: number;
  /** Abandon the response past this many body bytes; rejects with `TOO_LARGE`. */
  readonly maxBytes: number;
  readonly tls?: TlsClientOptions;
  /** Redirects to follow (upstream: 10). 0 returns the 3xx response. */
  readonly maxRedirects: number;
}

export interface HttpResponseData {
  readonly status: number;
  /** The URL that finally answered, after redirects. */
  readonly url: string;
  readonly headers: Headers;
  /** The body, already decompressed when the server sent gzip. */
  readonly body: Uint8Array;
}

/** A long-lived request whose response body is read as it arrives (the master's event stream). */
export interface HttpStreamOptions {
  readonly method: "GET" | "POST";
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Milliseconds until the response headers arrive; rejects with `TIMED_OUT`. The body has no deadline. */
  readonly timeoutMs: number;
  readonly tls?: TlsClientOptions;
  readonly maxRedirects: number;
}

export interface HttpStreamResponse {
  readonly status: number;
  /** The URL that finally answered, after redirects. */
  readonly url: string;
  readonly headers: Headers;
  /**
   * The body's chunks as they arrive (decompressed), read once. Ends when the server closes
   * the stream; a failure rejects with a {@link NetError} (`CLOSED` after {@link cancel}).
   */
  readonly body: AsyncIterable<Uint8Array>;
  /** Stops reading and closes the connection; idempotent. */
  cancel(): void;
}

// ---------------------------------------------------------------- the contract

export type RuntimeName = "bun" | "deno" | "node" | "memory";

/** Everything the core needs from a runtime. */
export interface Platform {
  readonly name: RuntimeName;

  bindUdp(options: UdpBindOptions): Promise<UdpSocket>;
  listenTcp(options: TcpListenOptions): Promise<TcpServer>;
  connectTcp(options: TcpConnectOptions): Promise<TcpConnection>;
  serveHttp(options: HttpServeOptions): Promise<HttpServer>;

  /** One HTTP(S) request with redirects, timeout, size limit and TLS options. */
  httpRequest(url: string, options: HttpRequestOptions): Promise<HttpResponseData>;

  /** One HTTP(S) request with redirects and TLS options whose body streams (no size limit here). */
  httpStream(url: string, options: HttpStreamOptions): Promise<HttpStreamResponse>;

  /** The system resolver (getaddrinfo-like): every address of `host`, IPv4 and IPv6. */
  lookupHost(host: string, timeoutMs: number): Promise<string[]>;

  /**
   * Checks PEM TLS material as the runtime's TLS stack will read it: every certificate in
   * `ca` and `cert` parses, `key` parses, and `key` belongs to `cert`. Returns one line naming
   * the first problem (`"cert"`, `"key"`, `"ca"` or `"pair"` first), or undefined.
   */
  checkTlsMaterial(material: {
    readonly ca?: string;
    readonly cert?: string;
    readonly key?: string;
  }): string | undefined;

  /** Reads a whole text file; rejects with `NOT_FOUND` or `PERMISSION_DENIED`. */
  readTextFile(path: string): Promise<string>;

  /** Addresses of local network interfaces, loopback excluded (IPv6 link-local included). */
  localAddresses(): string[];

  env(name: string): string | undefined;
  cwd(): string;
  /** Registers a handler for SIGINT/SIGTERM (the memory platform never calls it). */
  onSignal(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
}
