/**
 * Contract cases for the ZooKeeper client the adapter selector gives
 * (`loadZkClientFactory()`), against a real ZooKeeper server started by the runners. Nodes are
 * written through `_zk-admin.ts`; the session loss goes through a relay on the platform's TCP
 * that can cut the connection.
 *
 * @module
 */
import type { ZkClient, ZkClientFactory, ZkSessionEvent } from "../../src/core/mesos/zk-client.ts";
import { splitHostPort } from "../../src/core/net/ip.ts";
import type { Platform, TcpConnection } from "../../src/core/platform.ts";
import {
  type CaseAdapters,
  type ContractCase,
  deferred,
  FIXTURE_ENV,
  fixtureEnv,
  within,
} from "./_case-kit.ts";
import { connectAdmin, type ZkAdmin } from "./_zk-admin.ts";

const NO_ZOOKEEPER = "the memory platform has no ZooKeeper; these cases need a real server";
const encoder = new TextEncoder();

function factory(adapters: CaseAdapters): ZkClientFactory {
  if (adapters.createZkClient === undefined) throw new Error("the runner gave no ZooKeeper client factory");
  return adapters.createZkClient;
}

/** A fresh node path for one case, so runs never see each other's nodes. */
function freshRoot(platform: Platform): string {
  return `/contract-${platform.name}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`;
}

/** A client whose session is up, and the session events it saw. */
async function connected(
  createClient: ZkClientFactory,
  servers: string,
  sessionTimeoutMs = 10_000,
): Promise<{ client: ZkClient; events: ZkSessionEvent[]; next(event: ZkSessionEvent): Promise<void> }> {
  const client = createClient({ servers, sessionTimeoutMs, credentials: "" });
  const events: ZkSessionEvent[] = [];
  const waiting = new Map<ZkSessionEvent, () => void>();
  client.onSession((event) => {
    events.push(event);
    waiting.get(event)?.();
    waiting.delete(event);
  });
  /** Resolves at the next `event` (or at once when it was the last one seen). */
  const next = (event: ZkSessionEvent) => {
    if (events.at(-1) === event) return Promise.resolve();
    const d = deferred();
    waiting.set(event, d.resolve);
    return d.promise;
  };
  client.connect();
  await within(next("connected"), 10_000, `a session on ${servers}`);
  return { client, events, next };
}

/** Awaits `promise` and checks it rejected with a ZkError of `code`. */
async function rejectsZk(promise: Promise<unknown>, code: string, message: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e ?? null,
  );
  if (error === undefined) throw new Error(`${message}: expected a rejection with ${code}, got success`);
  const got = error as { name?: unknown; code?: unknown };
  if (got?.name !== "ZkError" || got.code !== code) {
    throw new Error(`${message}: expected ZkError ${code}, got ${String(got?.name)} ${String(got?.code)}`);
  }
}

async function withAdmin(platform: Platform, body: (admin: ZkAdmin, root: string) => Promise<void>) {
  const admin = await connectAdmin(fixtureEnv(platform, FIXTURE_ENV.zkServers));
  const root = freshRoot(platform);
  try {
    await body(admin, root);
  } finally {
    await admin.removeTree(root).catch(() => {});
    admin.close();
  }
}

/** A TCP relay to ZooKeeper that can cut its connections and turn new ones away. */
interface Relay {
  /** `127.0.0.1:<port>`: where clients connect. */
  readonly servers: string;
  /** Closes every relayed connection, and every new one at once, until `restore()`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

async function startRelay(platform: Platform, target: string): Promise<Relay> {
  const split = splitHostPort(target);
  if (split === undefined) throw new Error(`not host:port: ${target}`);
  const { host, port } = split;
  let down = false;
  const open = new Set<{ close(): void }>();
  const server = await platform.listenTcp({
    address: "127.0.0.1",
    port: 0,
    onConnection(conn: TcpConnection) {
      if (down) {
        conn.close();
        return { onData() {}, onClose() {} };
      }
      let upstream: TcpConnection | undefined;
      let closed = false;
      const early: Uint8Array[] = [];
      const pair = {
        close() {
          closed = true;
          conn.close();
          upstream?.close();
        },
      };
      open.add(pair);
      platform
        .connectTcp({
          address: host,
          port: Number(port),
          timeoutMs: 3000,
          handlers: { onData: (chunk) => conn.write(chunk.slice()), onClose: () => pair.close() },
        })
        .then(
          (u) => {
            upstream = u;
            if (closed) return u.close();
            for (const chunk of early.splice(0)) u.write(chunk);
          },
          () => pair.close(),
        );
      return {
        onData: (chunk) => (upstream ? upstream.write(chunk.slice()) : early.push(chunk.slice())),
        onClose() {
          open.delete(pair);
          pair.close();
        },
      };
    },
  });
  const cut = () => {
    down = true;
    for (const pair of open) pair.close();
    open.clear();
  };
  return {
    servers: `127.0.0.1:${server.local.port}`,
    cut,
    restore() {
      down = false;
    },
    async close() {
      cut();
      await server.close();
    },
  };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const zookeeperCases: ContractCase[] = [
  {
    name: "ZkClient connects, lists the children and reads the data of a node; a missing node is NO_NODE",
    needs: ["zookeeper"],
    skip: { memory: NO_ZOOKEEPER },
    async run(platform, assert, adapters) {
      await withAdmin(platform, async (admin, root) => {
        await admin.create(`${root}/json.info_0000000002`, "second");
        await admin.create(`${root}/json.info_0000000001`, "first");
        const { client } = await connected(factory(adapters), fixtureEnv(platform, FIXTURE_ENV.zkServers));
        try {
          const children = await client.getChildren(root);
          assert.equal(
            JSON.stringify([...children].sort()),
            JSON.stringify(["json.info_0000000001", "json.info_0000000002"]),
            "children",
          );
          assert.bytes(await client.getData(`${root}/json.info_0000000001`), encoder.encode("first"), "data");
          await rejectsZk(client.getChildren(`${root}/missing`), "NO_NODE", "children of a missing node");
          await rejectsZk(client.getData(`${root}/missing`), "NO_NODE", "data of a missing node");
        } finally {
          await client.close();
        }
      });
    },
  },
  {
    name: "ZkClient calls a children watch once per change, however often the same function is re-armed",
    needs: ["zookeeper"],
    skip: { memory: NO_ZOOKEEPER },
    async run(platform, assert, adapters) {
      await withAdmin(platform, async (admin, root) => {
        await admin.create(root);
        const { client } = await connected(factory(adapters), fixtureEnv(platform, FIXTURE_ENV.zkServers));
        try {
          let calls = 0;
          let fired = deferred();
          const watch = () => {
            calls++;
            fired.resolve();
          };
          // What the detector does after a reconnect: list again with the same function.
          await client.getChildren(root, watch);
          await client.getChildren(root, watch);
          await admin.create(`${root}/a`);
          await within(fired.promise, 5000, "the watch after the first child");
          assert.equal(calls, 1, "calls after the first change");
          fired = deferred();
          assert.equal(JSON.stringify(await client.getChildren(root, watch)), '["a"]', "children after it");
          await admin.create(`${root}/b`);
          await within(fired.promise, 5000, "the re-armed watch after the second child");
          assert.equal(calls, 2, "calls after the second change");
        } finally {
          await client.close();
        }
      });
    },
  },
  {
    name: "ZkClient reports a lost connection as disconnected and a lost session as expired",
    needs: ["zookeeper"],
    skip: { memory: NO_ZOOKEEPER },
    async run(platform, assert, adapters) {
      const relay = await startRelay(platform, fixtureEnv(platform, FIXTURE_ENV.zkServers));
      // The shortest session the fixture's server grants (minSessionTimeout).
      const sessionTimeoutMs = 1000;
      const { client, events, next } = await connected(factory(adapters), relay.servers, sessionTimeoutMs);
      try {
        const disconnected = next("disconnected");
        relay.cut();
        await within(disconnected, 5000, "disconnected after the cut");
        // ZooKeeper ends a session it has not heard from for its timeout (rounded up to a tick);
        // only a reconnect tells the client so.
        await delay(3 * sessionTimeoutMs);
        const expired = next("expired");
        relay.restore();
        await within(expired, 5000, "expired after reconnecting");
        const seen = events.filter((event, i) => event !== events[i - 1]);
        assert.equal(
          JSON.stringify(seen.slice(0, 3)),
          JSON.stringify(["connected", "disconnected", "expired"]),
          `session events (all: ${JSON.stringify(events)})`,
        );
      } finally {
        await client.close();
        await relay.close();
      }
    },
  },
  {
    name: "ZkClient rejects reads after close() with CLOSED",
    needs: ["zookeeper"],
    skip: { memory: NO_ZOOKEEPER },
    async run(platform, _assert, adapters) {
      const { client } = await connected(factory(adapters), fixtureEnv(platform, FIXTURE_ENV.zkServers));
      await client.close();
      await rejectsZk(client.getChildren("/"), "CLOSED", "children after close()");
      await rejectsZk(client.getData("/"), "CLOSED", "data after close()");
    },
  },
];
