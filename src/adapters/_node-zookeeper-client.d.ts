/**
 * The members of the untyped npm package `node-zookeeper-client` that this project uses
 * (`src/adapters/zookeeper.ts`, and the fake master's registration in `scripts/`), declared
 * here as hono declares only the Deno members it needs.
 */
declare module "node-zookeeper-client" {
  interface ZkException extends Error {
    getCode(): number;
  }
  type Callback<T> = (error: ZkException | null | undefined, value: T) => void;
  type ClientEvent = "connected" | "disconnected" | "expired" | "authenticationFailed";
  interface Client {
    connect(): void;
    close(): void;
    addAuthInfo(scheme: string, auth: Buffer): void;
    on(event: ClientEvent, listener: () => void): void;
    once(event: ClientEvent, listener: () => void): void;
    getChildren(path: string, callback: Callback<string[]>): void;
    getChildren(
      path: string,
      watcher: ((event: unknown) => void) | undefined,
      callback: Callback<string[]>,
    ): void;
    getData(path: string, callback: Callback<Buffer | undefined>): void;
    mkdirp(path: string, callback: Callback<string>): void;
    create(path: string, data: Buffer, mode: number, callback: Callback<string>): void;
    remove(path: string, version: number, callback: Callback<void>): void;
    /** Internal; used only to unstick an unanswered handshake (see the adapter). */
    readonly connectionManager?: { readonly socket?: { destroy(): void } };
  }
  interface Options {
    sessionTimeout?: number;
    spinDelay?: number;
    retries?: number;
  }
  const zookeeper: {
    createClient(connectionString: string, options?: Options): Client;
    Exception: { NO_NODE: number; CONNECTION_LOSS: number; SESSION_EXPIRED: number };
    CreateMode: { PERSISTENT: number; EPHEMERAL: number; EPHEMERAL_SEQUENTIAL: number };
  };
  export default zookeeper;
}
