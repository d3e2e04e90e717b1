/**
 * {@link ZkClient} over the npm package `node-zookeeper-client` (pure JavaScript over
 * `node:net`; works under Node, Bun and Deno). Translation only: the detection policy
 * lives in `src/core/mesos/zk-detector.ts`.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import zookeeper from "node-zookeeper-client";
import {
  type ZkClient,
  type ZkClientFactory,
  type ZkClientOptions,
  ZkError,
  type ZkErrorCode,
  type ZkSessionEvent,
} from "../core/mesos/zk-client.ts";

/** How long a connection may go without a session before it is dropped and retried. */
const HANDSHAKE_WATCHDOG_MS = 3000;

/** Creates a ZooKeeper client for the detector (`zkDetector({..., createClient: createZkClient})`). */
export const createZkClient: ZkClientFactory = (options: ZkClientOptions): ZkClient => {
  // Reconnect attempts cycle through the servers every spinDelay ms, for ever.
  const client = zookeeper.createClient(options.servers, {
    sessionTimeout: options.sessionTimeoutMs,
    spinDelay: 250,
    retries: 0,
  });
  if (options.credentials !== "") {
    client.addAuthInfo("digest", Buffer.from(options.credentials));
  }
  let closed = false;
  let connected = false;
  let waitingSince = Date.now();
  // Quirk: a session request sent while a ZooKeeper server is still starting can go
  // unanswered, and the library then waits on that socket for ever (its connect timeout
  // only covers TCP). While no session is up, drop the socket every few seconds so the
  // library reconnects (to the next server) and resumes the session.
  const watchdog = setInterval(() => {
    if (connected || closed || Date.now() - waitingSince < HANDSHAKE_WATCHDOG_MS) return;
    waitingSince = Date.now();
    client.connectionManager?.socket?.destroy();
  }, 1000);
  (watchdog as { unref?: () => void }).unref?.();
  client.on("connected", () => {
    connected = true;
  });
  const lost = () => {
    connected = false;
    waitingSince = Date.now();
  };
  client.on("disconnected", lost);
  client.on("expired", lost);

  return {
    connect() {
      waitingSince = Date.now();
      client.connect();
    },
    onSession(listener: (event: ZkSessionEvent) => void) {
      client.on("connected", () => listener("connected"));
      client.on("disconnected", () => listener("disconnected"));
      client.on("expired", () => listener("expired"));
    },
    getChildren(path: string, watch?: () => void): Promise<string[]> {
      return new Promise((resolve, reject) => {
        if (closed) return reject(new ZkError("CLOSED", "ZooKeeper client closed"));
        // Passed on as is, never wrapped: the library keeps one listener per watcher
        // function, so a fresh closure per call would add a listener on every reconnect.
        client.getChildren(path, watch, (error, children) => {
          if (error) reject(mapError(error));
          else resolve(children);
        });
      });
    },
    getData(path: string): Promise<Uint8Array> {
      return new Promise((resolve, reject) => {
        if (closed) return reject(new ZkError("CLOSED", "ZooKeeper client closed"));
        client.getData(path, (error, data) => {
          if (error) reject(mapError(error));
          else resolve(data ? new Uint8Array(data) : new Uint8Array());
        });
      });
    },
    close(): Promise<void> {
      closed = true;
      clearInterval(watchdog);
      client.close();
      return Promise.resolve();
    },
  };
};

function mapError(error: Error & { getCode?: () => number }): ZkError {
  const number = typeof error.getCode === "function" ? error.getCode() : undefined;
  let code: ZkErrorCode = "OTHER";
  if (number === zookeeper.Exception.NO_NODE) code = "NO_NODE";
  else if (number === zookeeper.Exception.CONNECTION_LOSS) code = "CONNECTION_LOSS";
  else if (number === zookeeper.Exception.SESSION_EXPIRED) code = "SESSION_EXPIRED";
  // The library says "Exception: NO_AUTH[-102]@/mesos"; the detector names path and servers.
  const message = number === undefined ? error.message : `${error.name}[${number}]`;
  return new ZkError(code, message, { cause: error });
}
