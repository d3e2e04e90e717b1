/**
 * Registers fake masters in ZooKeeper the way Mesos masters do: an ephemeral sequential
 * `json.info_<n>` node under the path, holding MasterInfo JSON; the lowest number leads.
 *
 * @module
 */
import zookeeper from "node-zookeeper-client";

/** What a Mesos master writes (the fields Mesos >= 1.0 writes that matter here). */
export interface MasterInfoJson {
  readonly id: string;
  readonly address: { readonly ip: string; readonly port: number; readonly hostname: string };
  readonly hostname: string;
  readonly port: number;
  readonly pid: string;
  readonly version: string;
}

/** One ZooKeeper session holding master registrations. */
export interface ZkRegistrar {
  /** Creates the master's node; resolves with its name (e.g. `json.info_0000000003`). */
  register(info: MasterInfoJson): Promise<string>;
  /** Deletes a node created by `register` (missing nodes are ignored). */
  deregister(node: string): Promise<void>;
  /** The current children of the path. */
  children(): Promise<string[]>;
  close(): Promise<void>;
}

/** Connects to `servers` and makes sure `path` exists. */
export async function connectRegistrar(servers: string, path: string): Promise<ZkRegistrar> {
  const client = zookeeper.createClient(servers, { sessionTimeout: 10_000, spinDelay: 200, retries: 2 });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`fake master: cannot reach ZooKeeper ${servers}`)),
      15_000,
    );
    client.once("connected", () => {
      clearTimeout(timer);
      resolve();
    });
    client.connect();
  });
  await call<string>((cb) => client.mkdirp(path, cb));
  // As in src/adapters/zookeeper.ts: an unanswered handshake while ZooKeeper restarts
  // would hang this session until it expires (and the registrations with it).
  let connected = true;
  let waitingSince = 0;
  client.on("connected", () => {
    connected = true;
  });
  client.on("disconnected", () => {
    connected = false;
    waitingSince = Date.now();
  });
  const watchdog = setInterval(() => {
    if (connected || Date.now() - waitingSince < 3000) return;
    waitingSince = Date.now();
    client.connectionManager?.socket?.destroy();
  }, 1000);
  watchdog.unref?.();
  return {
    async register(info) {
      const created = await call<string>((cb) =>
        client.create(
          `${path}/json.info_`,
          Buffer.from(JSON.stringify(info)),
          zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
          cb,
        ),
      );
      return created.slice(created.lastIndexOf("/") + 1);
    },
    async deregister(node) {
      try {
        await call<void>((cb) => client.remove(`${path}/${node}`, -1, cb));
      } catch (error) {
        if ((error as { getCode?: () => number }).getCode?.() !== zookeeper.Exception.NO_NODE) throw error;
      }
    },
    children() {
      return call<string[]>((cb) => client.getChildren(path, cb));
    },
    close() {
      clearInterval(watchdog);
      client.close();
      return Promise.resolve();
    },
  };
}

/** The MasterInfo JSON a master at `ip:port` would write. */
export function masterInfoFor(ip: string, port: number, id: string): MasterInfoJson {
  return {
    id,
    address: { ip, port, hostname: ip },
    hostname: ip,
    port,
    pid: `master@${ip}:${port}`,
    version: "1.11.0",
  };
}

function call<T>(run: (cb: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    run((error, value) => (error ? reject(error) : resolve(value)));
  });
}
