/**
 * Leader detection through a real ZooKeeper (SPEC 3.3): fake masters register as Mesos
 * masters do; the Refresher follows leader changes and survives a ZooKeeper outage.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type FakeCluster, startFakeCluster } from "../../scripts/fake-master.ts";
import { createZkClient } from "../../src/adapters/zookeeper.ts";
import { zkDetector } from "../../src/core/zk-detector.ts";
import { eventually, leaderPort, STATE, startRefresher } from "./_refresher-harness.ts";
import { startZooKeeper, type ZooKeeperServer, zookeeperMissing } from "./_zookeeper.ts";

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
      // The lowest json.info_ node leads; both masters are members, sorted.
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
