/**
 * Several fake masters at once, each on its own port, with one leader that can be switched
 * at runtime; optionally registered in a real ZooKeeper as Mesos masters register.
 *
 * @module
 */
import { type FakeMaster, type FakeMasterOptions, startFakeMaster } from "./_fake-master-server.ts";
import { connectRegistrar, masterInfoFor, type ZkRegistrar } from "./_fake-master-zk.ts";

export interface FakeClusterOptions extends Omit<FakeMasterOptions, "port" | "leader"> {
  /** Number of masters (default 3). */
  readonly count?: number;
  /** Register every master under `path` in ZooKeeper (`servers`: `host:port,...`). */
  readonly zk?: { readonly servers: string; readonly path: string };
}

export interface FakeCluster {
  readonly masters: readonly FakeMaster[];
  /** Index of the current leader. */
  leaderIndex(): number;
  /**
   * Makes master `index` the leader: every master announces it in `leader`, and in
   * ZooKeeper the masters registered before it re-register behind it (as losing masters
   * re-contend), so its node has the lowest sequence number.
   */
  setLeader(index: number): Promise<void>;
  /** Deletes master `index`'s ZooKeeper node (it stays up over HTTP). */
  dropFromZk(index: number): Promise<void>;
  /** Registers master `index` again (behind every registered master). */
  rejoinZk(index: number): Promise<void>;
  /** The `zk://` URL of the registrations, or "" without ZooKeeper. */
  readonly zkUrl: string;
  stop(): Promise<void>;
}

/** Starts the masters (master 0 leads) and registers them in order. */
export async function startFakeCluster(options: FakeClusterOptions): Promise<FakeCluster> {
  const count = options.count ?? 3;
  const masters: FakeMaster[] = [];
  for (let i = 0; i < count; i++) masters.push(await startFakeMaster({ ...options, leader: "self" }));
  let leader = 0;
  const announce = () => {
    for (const m of masters)
      m.setLeader(m === masters[leader] ? "self" : (masters[leader]?.hostPort ?? "self"));
  };
  announce();

  let registrar: ZkRegistrar | undefined;
  const nodes: Array<string | undefined> = masters.map(() => undefined);
  const register = async (i: number) => {
    const m = masters[i];
    if (!registrar || !m) return;
    nodes[i] = await registrar.register(masterInfoFor(m.host, m.port, `fake-master-${i}-${m.port}`));
  };
  if (options.zk) {
    registrar = await connectRegistrar(options.zk.servers, options.zk.path);
    for (let i = 0; i < count; i++) await register(i);
  }
  const seq = (node: string | undefined) => (node ? Number(node.slice(node.lastIndexOf("_") + 1)) : Infinity);

  return {
    masters,
    leaderIndex: () => leader,
    zkUrl: options.zk ? `zk://${options.zk.servers}${options.zk.path}` : "",
    async setLeader(index) {
      if (!masters[index]) throw new Error(`no master ${index}`);
      leader = index;
      announce();
      if (!registrar) return;
      if (nodes[index] === undefined) await register(index);
      const mine = seq(nodes[index]);
      for (let i = 0; i < count; i++) {
        const old = nodes[i];
        if (i === index || old === undefined || seq(old) > mine) continue;
        // Join again first, then leave: the path never becomes empty.
        await register(i);
        await registrar.deregister(old);
      }
    },
    async dropFromZk(index) {
      const node = nodes[index];
      nodes[index] = undefined;
      if (registrar && node) await registrar.deregister(node);
    },
    async rejoinZk(index) {
      const node = nodes[index];
      if (registrar && node) await registrar.deregister(node);
      await register(index);
    },
    async stop() {
      await registrar?.close();
      await Promise.all(masters.map((m) => m.stop()));
    },
  };
}
