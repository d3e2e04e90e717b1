/**
 * Leader detection through a real ZooKeeper (docs/spec.md §3.3): fake masters register as Mesos
 * masters do; the Refresher follows leader changes and survives a ZooKeeper outage.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import zookeeper from "node-zookeeper-client";
import {
  connectRegistrar,
  type FakeCluster,
  masterInfoFor,
  startFakeCluster,
} from "../../scripts/fake-master.ts";
import { createZkClient } from "../../src/adapters/zookeeper.ts";
import type { ZkClient } from "../../src/core/mesos/zk-client.ts";
import { zkDetector } from "../../src/core/mesos/zk-detector.ts";
import { startZooKeeper, type ZooKeeperServer, zookeeperMissing } from "../_zookeeper.ts";
import { eventually, leaderPort, STATE, startRefresher } from "./_refresher-harness.ts";

const missing = zookeeperMissing();
const skip = missing !== undefined && process.env.CI !== "true";
if (skip) console.warn(`SKIP ZooKeeper integration tests: ${missing}`);

describe.skipIf(skip)("ZooKeeper leader detection (real ZooKeeper, two fake masters)", () => {
  let zk: ZooKeeperServer;
  let cluster: FakeCluster;

  beforeAll(async () => {
    if (missing) throw new Error(`ZooKeeper is required when CI=true: ${missing}`);
    zk = await startZooKeeper();
    console.log(`ZooKeeper: ${zk.command}`);
    cluster = await startFakeCluster({ state: STATE, count: 2, zk: { servers: zk.servers, path: "/mesos" } });
  }, 30_000);

  afterAll(async () => {
    await cluster?.stop();
    await zk?.dispose();
  }, 15_000);

  const detector = () =>
    zkDetector({ servers: zk.servers, path: "/mesos", masters: null, createClient: createZkClient });

  test("serves the registered leader, follows a deleted leader node within one refresh, and rides out a ZooKeeper restart", async () => {
    const [m0, m1] = cluster.masters;
    if (!m0 || !m1) throw new Error("two masters expected");
    const h = startRefresher({ Zk: `zk://${zk.servers}/mesos` }, detector());
    try {
      // The lowest json.info_ node leads; both masters are members, in registration order.
      await eventually(
        () => leaderPort(h.store.current()) === m0.port,
        10_000,
        "first snapshot from master 0",
      );
      const first = h.store.current();
      expect(first?.records.a.get("leader.mesos.")).toEqual(["127.0.0.1"]);
      expect(first?.leader).toBe(`master@${m0.hostPort}`);
      expect(first?.masters).toEqual([m0.hostPort, m1.hostPort]);
      expect(first?.records.a.get("web.marathon.mesos.")).toEqual(["127.0.0.2"]);

      // Mesos failover: the leader's node goes away, the other master becomes leader.
      await cluster.setLeader(1);
      await cluster.dropFromZk(0);
      await eventually(() => leaderPort(h.store.current()) === m1.port, 5000, "snapshot from master 1");
      expect(h.store.current()?.masters).toEqual([m1.hostPort]);
      expect(h.logs).toContain(`info: Leading master is now "${m1.hostPort}"`);

      // ZooKeeper goes down: the leader becomes unknown, and refreshes keep working
      // through the old leader, now a fallback.
      await zk.stop();
      await eventually(() => h.refresher.masters[0] === "", 5000, "no-leader event");
      expect(h.refresher.masters).toEqual(["", m1.hostPort]);
      expect(await h.refresher.refreshNow()).toBe(true);
      expect(leaderPort(h.store.current())).toBe(m1.port);

      // ZooKeeper returns: the session is resumed and the leader is known again.
      await zk.restart();
      await eventually(() => h.refresher.masters[0] === m1.hostPort, 15_000, "leader after restart");
      expect(h.fatal).toEqual([]);
    } finally {
      await h.stop();
    }
  }, 60_000);

  /** An adapter client with a session up. */
  async function connectedClient(): Promise<ZkClient> {
    const client = createZkClient({ servers: zk.servers, sessionTimeoutMs: 10_000, credentials: "" });
    await new Promise<void>((resolve) => {
      client.onSession((event) => event === "connected" && resolve());
      client.connect();
    });
    return client;
  }

  test("the adapter registers a re-armed watch function once: one call per change", async () => {
    const registrar = await connectRegistrar(zk.servers, "/rearmed");
    const client = await connectedClient();
    try {
      let calls = 0;
      const watch = () => {
        calls++;
      };
      // What the detector does after each reconnect: list the children again, same watch.
      for (let i = 0; i < 15; i++) await client.getChildren("/rearmed", watch);
      await registrar.register(masterInfoFor("127.0.0.1", 5050, "rearmed"));
      await eventually(() => calls > 0, 5000, "the watch");
      await new Promise((r) => setTimeout(r, 300));
      expect(calls).toBe(1);
    } finally {
      await client.close();
      await registrar.close();
    }
  }, 20_000);

  test("an ACL-protected path is logged once, without a doubled prefix, while it is retried", async () => {
    // Readable only from an address the test never uses: every read gets NO_AUTH.
    const raw = zookeeper as unknown as {
      createClient(servers: string): {
        connect(): void;
        once(event: "connected", listener: () => void): void;
        create(path: string, data: Buffer, acls: unknown[], mode: number, cb: (e: unknown) => void): void;
        close(): void;
      };
      ACL: new (permission: number, id: unknown) => unknown;
      Id: new (scheme: string, id: string) => unknown;
      Permission: { ALL: number };
      CreateMode: { PERSISTENT: number };
    };
    const admin = raw.createClient(zk.servers);
    await new Promise<void>((resolve) => {
      admin.once("connected", resolve);
      admin.connect();
    });
    const acl = new raw.ACL(raw.Permission.ALL, new raw.Id("ip", "10.255.255.1"));
    await new Promise<void>((resolve, reject) =>
      admin.create("/locked", Buffer.from(""), [acl], raw.CreateMode.PERSISTENT, (e) =>
        e ? reject(e) : resolve(),
      ),
    );
    admin.close();
    const warnings: string[] = [];
    let attempts = 0;
    const detector = zkDetector({
      servers: zk.servers,
      path: "/locked",
      masters: null,
      createClient: (options) => {
        const client = createZkClient(options);
        const getChildren = client.getChildren.bind(client);
        client.getChildren = (path, watch) => {
          attempts++;
          return getChildren(path, watch);
        };
        return client;
      },
      log: { warn: (m) => warnings.push(m) },
      minIntervalMs: 0,
      retryMs: 50,
      maxRetryMs: 100,
    });
    detector.start(() => {});
    try {
      await eventually(() => attempts >= 5, 5000, "five attempts");
      expect(warnings).toEqual([`Cannot read ZooKeeper path "/locked" at ${zk.servers}: NO_AUTH[-102]`]);
    } finally {
      await detector.stop();
    }
  }, 20_000);

  test("zkDetectionTimeout ends the process when no leader appears", async () => {
    const h = startRefresher(
      { Zk: `zk://${zk.servers}/empty`, ZkDetectionTimeout: 1 },
      zkDetector({
        servers: zk.servers,
        path: "/empty",
        masters: null,
        createClient: createZkClient,
      }),
    );
    try {
      await eventually(() => h.fatal.length > 0, 5000, "fatal detection timeout");
      expect(h.fatal).toEqual(["master detection timed out after 1s"]);
      expect(h.store.current()).toBeUndefined();
    } finally {
      await h.stop();
    }
  }, 20_000);
});
