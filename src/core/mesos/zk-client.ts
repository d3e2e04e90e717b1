/**
 * The small ZooKeeper client contract the leader detector needs (docs/spec.md §3.3). The core
 * holds no ZooKeeper wire code: `src/adapters/zookeeper.ts` implements this with an npm
 * client, and unit tests use an in-memory fake.
 *
 * @module
 */

/**
 * Session events: `connected` (session established or re-established), `disconnected`
 * (connection lost; the client keeps retrying and watches survive if the session does),
 * `expired` (the session is gone; watches are lost and the client must be re-created).
 */
export type ZkSessionEvent = "connected" | "disconnected" | "expired";

/** Failure kinds of ZooKeeper operations. */
export type ZkErrorCode = "NO_NODE" | "CONNECTION_LOSS" | "SESSION_EXPIRED" | "CLOSED" | "OTHER";

/** A failed ZooKeeper operation. */
export class ZkError extends Error {
  readonly code: ZkErrorCode;
  constructor(code: ZkErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ZkError";
    this.code = code;
  }
}

/** One ZooKeeper session over a set of servers. */
export interface ZkClient {
  /** Starts connecting; progress arrives through `onSession`. */
  connect(): void;
  /** Registers the session listener (one per client). */
  onSession(listener: (event: ZkSessionEvent) => void): void;
  /**
   * Child names of `path`. `watch`, when given, is called once on the next change of the
   * children (or the node's deletion); no watch is set when `path` does not exist. A watch
   * function already pending is not registered twice: callers re-arm with the same function
   * (one per session), so reconnects add no listeners. Rejects with {@link ZkError}, whose
   * message names neither path nor servers (the caller does).
   */
  getChildren(path: string, watch?: () => void): Promise<string[]>;
  /** The data of `path`. Rejects with {@link ZkError}. */
  getData(path: string): Promise<Uint8Array>;
  /** Ends the session. */
  close(): Promise<void>;
}

export interface ZkClientOptions {
  /** Comma-separated `host:port` servers. */
  readonly servers: string;
  readonly sessionTimeoutMs: number;
  /** `user:pass` for ZooKeeper `digest` authentication, "" for none. */
  readonly credentials: string;
}

/** Creates a (not yet connected) client; injected so the core stays runtime-free. */
export type ZkClientFactory = (options: ZkClientOptions) => ZkClient;
