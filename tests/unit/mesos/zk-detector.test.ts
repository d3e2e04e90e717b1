import { describe, expect, test } from "bun:test";
import type { MastersList } from "../../../src/core/mesos/masters-list.ts";
import {
  type ZkClient,
  type ZkClientOptions,
  ZkError,
  type ZkSessionEvent,
} from "../../../src/core/mesos/zk-client.ts";
import { decodeMasterInfo, selectLeaderNode, zkDetector } from "../../../src/core/mesos/zk-detector.ts";

const enc = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** An in-memory ZooKeeper: one path with children, watches, and scriptable sessions. */
class FakeZk {
  nodes: Map<string, Uint8Array> | undefined = new Map();
  watches: Array<() => void> = [];
  /** Every watch function ever passed to getChildren, in call order. */
  watchArgs: Array<() => void> = [];
  /** When set, getChildren rejects with it. */
  failure: ZkError | undefined;
  /** When set, called on every getChildren (e.g. to record the time). */
  onGetChildren: (() => void) | undefined;
  clients: Array<{ options: ZkClientOptions; session: (e: ZkSessionEvent) => void; closed: boolean }> = [];
  connected = true;

  factory = (options: ZkClientOptions): ZkClient => {
    const entry = { options, session: (_: ZkSessionEvent) => {}, closed: false };
    this.clients.push(entry);
    return {
      connect: () => {
        if (this.connected) queueMicrotask(() => entry.session("connected"));
      },
      onSession: (listener) => {
        entry.session = listener;
      },
      getChildren: async (path, watch) => {
        this.onGetChildren?.();
        if (watch) this.watchArgs.push(watch);
        if (!this.connected) throw new ZkError("CONNECTION_LOSS", "connection loss");
        if (this.failure) throw this.failure;
        if (!this.nodes) throw new ZkError("NO_NODE", `no node ${path}`);
        // As ZooKeeper clients do: one pending registration per watch function.
        if (watch && !this.watches.includes(watch)) this.watches.push(watch);
        return [...this.nodes.keys()];
      },
      getData: async (path) => {
        const data = this.nodes?.get(path.slice(path.lastIndexOf("/") + 1));
        if (!data) throw new ZkError("NO_NODE", `no node ${path}`);
        return data;
      },
      close: async () => {
        entry.closed = true;
      },
    };
  };

  set(name: string, info: unknown): void {
    this.nodes ??= new Map();
    this.nodes.set(name, info instanceof Uint8Array ? info : enc(info));
    this.fire();
  }

  remove(name: string): void {
    this.nodes?.delete(name);
    this.fire();
  }

  fire(): void {
    const watches = this.watches;
    this.watches = [];
    for (const w of watches) w();
  }

  session(event: ZkSessionEvent): void {
    this.clients.at(-1)?.session(event);
  }
}

/** Timers driven by hand: `advance(ms)` fires what falls due, in order. */
class ManualTimers {
  now = 0;
  #next = 1;
  #pending = new Map<number, { at: number; fn: () => void }>();
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.#next++;
    this.#pending.set(id, { at: this.now + ms, fn });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.#pending.delete(handle as number);
  };
  /** Fires due timers one by one, letting the detector's promises settle after each. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await flush();
      const due = [...this.#pending.entries()]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#pending.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = end;
    await flush();
  }
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

const info = (ip: string, port: number, id = `${ip}:${port}`) => ({
  id,
  address: { ip, port, hostname: "h" },
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(check()).toBe(true);
}

function started(zk: FakeZk, masters: string[] | null = ["9.9.9.9:5050"]) {
  const seen: MastersList[] = [];
  const detector = zkDetector({
    servers: "127.0.0.1:2181",
    path: "/mesos",
    masters,
    createClient: zk.factory,
    minIntervalMs: 0,
    retryMs: 5,
  });
  detector.start((list) => seen.push(list));
  return { seen, detector, last: () => seen.at(-1) };
}

describe("selectLeaderNode() (docs/spec.md §3.3)", () => {
  test("picks the lowest json.info_ sequence number", () => {
    expect(selectLeaderNode(["json.info_0000000012", "json.info_0000000003", "json.info_0000000007"])).toBe(
      "json.info_0000000003",
    );
  });
  test("prefers json.info_ nodes over lower legacy info_ nodes", () => {
    expect(selectLeaderNode(["info_0000000001", "json.info_0000000005"])).toBe("json.info_0000000005");
  });
  test("falls back to info_ nodes when there is no json.info_ node", () => {
    expect(selectLeaderNode(["info_0000000009", "info_0000000002", "log_replicas"])).toBe("info_0000000002");
  });
  test("skips children whose suffix is not a decimal integer; none gives no leader", () => {
    expect(selectLeaderNode(["json.info_abc", "info_", "json.info_12x", "other"])).toBe("");
    expect(selectLeaderNode([])).toBe("");
  });
});

describe("decodeMasterInfo() (docs/spec.md §3.3 vectors)", () => {
  const json = (v: unknown) => decodeMasterInfo("json.info_1", enc(v))?.address;
  test("address ip and port win over top-level fields", () => {
    expect(
      json({ address: { ip: "1.1.1.1", port: 1234, hostname: "x" }, hostname: "y", ip: 1, port: 9 }),
    ).toBe("1.1.1.1:1234");
  });
  test("an address without ip yields :port", () => expect(json({ address: { port: 1234 } })).toBe(":1234"));
  test("legacy ip alone is little-endian bytes and port 5050", () => {
    // 0x0101A8C0 laid out little-endian in memory is c0 a8 01 01 = 192.168.1.1.
    expect(json({ ip: 0x0101a8c0 })).toBe("192.168.1.1:5050");
  });
  test("legacy port alone gives 0.0.0.0", () => expect(json({ port: 1234 })).toBe("0.0.0.0:1234"));
  test("an IPv6 address is bracketed", () =>
    expect(json({ address: { ip: "fd00::1", port: 5050 } })).toBe("[fd00::1]:5050"));
  test("non-JSON data in a json.info_ node is undecodable", () => {
    expect(decodeMasterInfo("json.info_1", new TextEncoder().encode("nope"))).toBeUndefined();
  });
  test("a legacy info_ node holds protobuf MasterInfo", () => {
    // id=1 "m1", ip=2 varint 0x0100007f (127.0.0.1), port=3 varint 5051
    const ip = [0xff, 0x80, 0x80, 0x08]; // varint of 0x0100007f
    const bytes = new Uint8Array([0x0a, 0x02, 0x6d, 0x31, 0x10, ...ip, 0x18, 0xbb, 0x27]);
    expect(decodeMasterInfo("info_0000000001", bytes)).toEqual({ id: "m1", address: "127.0.0.1:5051" });
  });
  test("a protobuf address message (field 7) wins over ip/port", () => {
    const address = [0x12, 0x07, ...new TextEncoder().encode("2.2.2.2"), 0x18, 0x90, 0x3f]; // ip, port 8080
    const bytes = new Uint8Array([0x0a, 0x01, 0x78, 0x3a, address.length, ...address]);
    expect(decodeMasterInfo("info_1", bytes)?.address).toBe("2.2.2.2:8080");
  });
});

describe("zkDetector()", () => {
  test("reports the lowest node as leader and every member in sequence order, replacing static masters", async () => {
    const zk = new FakeZk();
    zk.set("json.info_0000000002", info("10.0.0.2", 5050));
    zk.set("json.info_0000000001", info("10.0.0.3", 5050));
    zk.set("json.info_0000000003", info("10.0.0.1", 5050));
    const { last, detector } = started(zk);
    await until(() => last()?.[0] === "10.0.0.3:5050");
    expect(last()).toEqual(["10.0.0.3:5050", "10.0.0.2:5050", "10.0.0.1:5050"]);
    await detector.stop();
  });

  test("sees a new leader as soon as the leader's node is deleted", async () => {
    const zk = new FakeZk();
    zk.set("json.info_0000000001", info("10.0.0.1", 5050));
    zk.set("json.info_0000000002", info("10.0.0.2", 5051));
    const { last, detector } = started(zk);
    await until(() => last()?.[0] === "10.0.0.1:5050");
    zk.remove("json.info_0000000001");
    await until(() => last()?.[0] === "10.0.0.2:5051");
    expect(last()).toEqual(["10.0.0.2:5051"]);
    await detector.stop();
  });

  test("de-duplicates members by MasterInfo id (json and legacy node of one master)", async () => {
    const zk = new FakeZk();
    zk.set("json.info_0000000001", info("10.0.0.1", 5050, "same"));
    zk.set("json.info_0000000002", info("10.0.0.1", 5050, "same"));
    const { last, detector } = started(zk);
    await until(() => last()?.[0] === "10.0.0.1:5050");
    expect(last()).toEqual(["10.0.0.1:5050"]);
    await detector.stop();
  });

  test("a lost session reports no leader, keeping the old leader and members as fallbacks; reconnecting restores it", async () => {
    const zk = new FakeZk();
    zk.set("json.info_0000000001", info("10.0.0.1", 5050));
    zk.set("json.info_0000000002", info("10.0.0.2", 5050));
    const { last, seen, detector } = started(zk);
    await until(() => last()?.[0] === "10.0.0.1:5050");
    zk.connected = false;
    zk.session("disconnected");
    expect(last()).toEqual(["", "10.0.0.1:5050", "10.0.0.2:5050"]);
    const events = seen.length;
    zk.connected = true;
    zk.session("connected");
    await until(() => seen.length > events);
    expect(last()).toEqual(["10.0.0.1:5050", "10.0.0.2:5050"]);
    await detector.stop();
  });

  test("an expired session is replaced by a new client", async () => {
    const zk = new FakeZk();
    zk.set("json.info_0000000001", info("10.0.0.1", 5050));
    const { last, detector } = started(zk);
    await until(() => last()?.[0] === "10.0.0.1:5050");
    zk.session("expired");
    expect(last()?.[0]).toBe("");
    expect(zk.clients.length).toBe(2);
    expect(zk.clients[0]?.closed).toBe(true);
    await until(() => last()?.[0] === "10.0.0.1:5050");
    await detector.stop();
  });

  test("a missing path is polled until masters appear; nothing is reported before", async () => {
    const zk = new FakeZk();
    zk.nodes = undefined;
    const { seen, last, detector } = started(zk);
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([]);
    zk.set("json.info_0000000004", info("10.0.0.4", 5050));
    await until(() => last()?.[0] === "10.0.0.4:5050");
    await detector.stop();
  });

  test("a master with a json and a legacy node keeps its lowest sequence number", async () => {
    const zk = new FakeZk();
    zk.set("json.info_0000000001", info("10.0.0.1", 5050, "a"));
    zk.set("json.info_0000000005", info("10.0.0.2", 5050, "b"));
    zk.set("json.info_0000000007", info("10.0.0.3", 5050, "c"));
    zk.set("json.info_0000000009", info("10.0.0.2", 5050, "b"));
    zk.set("json.info_0000000002", info("10.0.0.3", 5050, "c"));
    const { last, detector } = started(zk);
    await until(() => last()?.[0] === "10.0.0.1:5050");
    expect(last()).toEqual(["10.0.0.1:5050", "10.0.0.3:5050", "10.0.0.2:5050"]);
    await detector.stop();
  });

  test("re-arms the children watch with one function per session, however often it reconnects", async () => {
    const zk = new FakeZk();
    zk.set("json.info_0000000001", info("10.0.0.1", 5050));
    const { last, detector } = started(zk);
    await until(() => last()?.[0] === "10.0.0.1:5050");
    for (let i = 0; i < 20; i++) {
      zk.session("disconnected");
      zk.session("connected");
      await until(() => last()?.[0] === "10.0.0.1:5050");
    }
    await until(() => zk.watchArgs.length >= 21);
    expect(new Set(zk.watchArgs).size).toBe(1);
    expect(zk.watches).toHaveLength(1);
    await detector.stop();
  });

  /** A detector on manual time that logs into `logs`. */
  function timed(zk: FakeZk, extra: Partial<Parameters<typeof zkDetector>[0]> = {}) {
    const timers = new ManualTimers();
    const logs: string[] = [];
    const calls: number[] = [];
    zk.onGetChildren = () => calls.push(timers.now);
    const seen: MastersList[] = [];
    const detector = zkDetector({
      servers: "h1:2181,h2:2181",
      path: "/mesos",
      masters: null,
      createClient: zk.factory,
      log: { warn: (m) => logs.push(`warn: ${m}`), info: (m) => logs.push(`info: ${m}`) },
      timers,
      now: () => timers.now,
      ...extra,
    });
    detector.start((l) => seen.push(l));
    return { timers, logs, calls, seen, detector };
  }

  test("a persistent failure is logged once, again when its cause changes, and retried 1 s doubling to 30 s", async () => {
    const zk = new FakeZk();
    zk.failure = new ZkError("OTHER", "NO_AUTH[-102]");
    const t = timed(zk);
    await t.timers.advance(200_000);
    const gaps = t.calls.slice(1).map((at, i) => at - (t.calls[i] ?? 0));
    expect(gaps.slice(0, 8)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(t.logs).toEqual(['warn: Cannot read ZooKeeper path "/mesos" at h1:2181,h2:2181: NO_AUTH[-102]']);
    zk.failure = new ZkError("OTHER", "AUTH_FAILED[-115]");
    await t.timers.advance(30_000);
    expect(t.logs).toHaveLength(2);
    expect(t.logs[1]).toBe('warn: Cannot read ZooKeeper path "/mesos" at h1:2181,h2:2181: AUTH_FAILED[-115]');
    await t.detector.stop();
  });

  test("success resets the backoff and logs one recovery line", async () => {
    const zk = new FakeZk();
    zk.failure = new ZkError("OTHER", "NO_AUTH[-102]");
    const t = timed(zk);
    await t.timers.advance(40_000);
    zk.failure = undefined;
    zk.set("json.info_0000000001", info("10.0.0.1", 5050));
    await t.timers.advance(30_000);
    expect(t.seen.at(-1)).toEqual(["10.0.0.1:5050"]);
    expect(t.logs.at(-1)).toBe('info: ZooKeeper path "/mesos" at h1:2181,h2:2181 is readable again');
    // A new failure streak starts over at 1 s.
    zk.failure = new ZkError("OTHER", "NO_AUTH[-102]");
    const before = t.calls.length;
    zk.fire();
    await t.timers.advance(10_000);
    const streak = t.calls.slice(before);
    expect(streak.slice(1).map((at, i) => at - (streak[i] ?? 0))).toEqual([1000, 2000, 4000]);
    await t.detector.stop();
  });

  test("a missing path is logged once while it is polled", async () => {
    const zk = new FakeZk();
    zk.nodes = undefined;
    const t = timed(zk);
    await t.timers.advance(120_000);
    expect(t.calls.length).toBeGreaterThan(4);
    expect(t.logs).toEqual([
      'warn: ZooKeeper path "/mesos" does not exist at h1:2181,h2:2181; waiting for masters to register',
    ]);
    await t.detector.stop();
  });

  test("an unreachable ZooKeeper is logged once per outage; reconnecting says so", async () => {
    const zk = new FakeZk();
    zk.connected = false;
    const t = timed(zk);
    await t.timers.advance(4_999);
    expect(t.logs).toEqual([]);
    await t.timers.advance(600_000);
    expect(t.logs).toEqual(["warn: Cannot reach ZooKeeper at h1:2181,h2:2181; retrying"]);
    zk.connected = true;
    zk.session("connected");
    await t.timers.advance(1000);
    expect(t.logs.at(-1)).toBe("info: Connected to ZooKeeper at h1:2181,h2:2181");
    // A short blip is not an outage.
    zk.session("disconnected");
    await t.timers.advance(1000);
    zk.session("connected");
    await t.timers.advance(10_000);
    expect(t.logs).toHaveLength(2);
    await t.detector.stop();
  });

  test("an undecodable member is logged once, quoted, not on every evaluation", async () => {
    const zk = new FakeZk();
    zk.set("json.info_0000000001", info("10.0.0.1", 5050));
    zk.set("json.info_0000000002", new TextEncoder().encode("not json"));
    const t = timed(zk);
    await t.timers.advance(1000);
    zk.set("json.info_0000000003", info("10.0.0.3", 5050));
    await t.timers.advance(1000);
    expect(t.seen.at(-1)).toEqual(["10.0.0.1:5050", "10.0.0.3:5050"]);
    expect(t.logs).toEqual(['warn: ZooKeeper node "/mesos/json.info_0000000002": cannot decode MasterInfo']);
    await t.detector.stop();
  });

  test("passes servers, credentials and the 60 s session timeout to the client", async () => {
    const zk = new FakeZk();
    const detector = zkDetector({
      servers: "a:1,b:2",
      path: "/mesos",
      credentials: "u:p",
      masters: null,
      createClient: zk.factory,
    });
    detector.start(() => {});
    expect(zk.clients[0]?.options).toEqual({
      servers: "a:1,b:2",
      sessionTimeoutMs: 60_000,
      credentials: "u:p",
    });
    await detector.stop();
  });
});
