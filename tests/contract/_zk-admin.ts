/**
 * The writing side of the ZooKeeper cases: creates and removes nodes with
 * `node-zookeeper-client` itself, since the {@link ZkClient} contract only reads.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import zookeeper from "node-zookeeper-client";
import { within } from "./_case-kit.ts";

export interface ZkAdmin {
  /** Creates a persistent node holding `data`, and any missing parents. */
  create(path: string, data?: string): Promise<void>;
  /** Removes a node and everything under it; a missing node is fine. */
  removeTree(path: string): Promise<void>;
  close(): void;
}

function settle<T>(run: (callback: (error: unknown, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    run((error, value) => (error ? reject(error) : resolve(value)));
  });
}

/** A connected admin session on `servers`. */
export async function connectAdmin(servers: string): Promise<ZkAdmin> {
  const client = zookeeper.createClient(servers, { sessionTimeout: 10_000, spinDelay: 250, retries: 0 });
  const connected = new Promise<void>((resolve) => client.once("connected", resolve));
  client.connect();
  await within(connected, 10_000, `admin session on ${servers}`);
  const isNoNode = (error: unknown) =>
    (error as { getCode?: () => number }).getCode?.() === zookeeper.Exception.NO_NODE;
  const removeTree = async (path: string): Promise<void> => {
    let children: string[];
    try {
      children = await settle<string[]>((cb) => client.getChildren(path, cb));
    } catch (error) {
      if (isNoNode(error)) return;
      throw error;
    }
    for (const child of children) await removeTree(`${path}/${child}`);
    await settle<void>((cb) => client.remove(path, -1, cb)).catch((error: unknown) => {
      if (!isNoNode(error)) throw error;
    });
  };
  return {
    async create(path, data = "") {
      const parent = path.slice(0, path.lastIndexOf("/"));
      if (parent !== "") await settle<string>((cb) => client.mkdirp(parent, cb));
      await settle<string>((cb) =>
        client.create(path, Buffer.from(data), zookeeper.CreateMode.PERSISTENT, cb),
      );
    },
    removeTree,
    close: () => client.close(),
  };
}
