import { describe, expect, test } from "bun:test";
import { memoryPlatform } from "../../../src/adapters/memory.ts";
import { get16, parseQuery } from "../../../src/core/dns/codec.ts";
import { createIdSource } from "../../../src/core/forward/_upstream-exchange.ts";
import { createUdpUpstreamPool } from "../../../src/core/forward/udp-upstream-pool.ts";
import { parseUpstream } from "../../../src/core/forward/zone-routing.ts";
import { query, reply, startFakeResolver } from "../../_fake-resolver.ts";

const questionEnd = (q: Uint8Array) => (parseQuery(q) as { questionEnd: number }).questionEnd;

describe("createUdpUpstreamPool()", () => {
  test("exchange() sends with a fresh ID from one of a few long-lived sockets", async () => {
    const platform = memoryPlatform();
    const ids = new Set<number>();
    const r = await startFakeResolver(platform, (q) => {
      ids.add(q.id!);
      return reply(q);
    });
    const pool = createUdpUpstreamPool({ platform, nextId: createIdSource(), socketsPerFamily: 2 });
    const bind = platform.bindUdp.bind(platform);
    let binds = 0;
    platform.bindUdp = (o) => {
      binds++;
      return bind(o);
    };
    const up = parseUpstream(r.spec)!;
    for (let i = 0; i < 6; i++) {
      const q = query(`n${i}.test`, "A", { id: 7 });
      const result = await pool.exchange(up, q, questionEnd(q), 1000);
      expect(result.outcome).toBe("ok");
      if (result.outcome === "ok") expect(get16(result.reply, 0)).not.toBe(7);
    }
    expect(binds).toBe(2);
    expect(ids.size).toBeGreaterThan(1);
    pool.close();
  });

  test("a reply from the right address but another question is stray; the query then times out", async () => {
    const platform = memoryPlatform();
    const r = await startFakeResolver(platform, (q) =>
      reply({ ...q, questions: [{ name: "b.test", type: "A", class: "IN" }] }),
    );
    const strays: (string | undefined)[] = [];
    const pool = createUdpUpstreamPool({
      platform,
      nextId: createIdSource(),
      onStray: (_f, up) => strays.push(up?.label),
    });
    const q = query("a.test", "A");
    expect((await pool.exchange(parseUpstream(r.spec)!, q, questionEnd(q), 30)).outcome).toBe("timeout");
    expect(strays).toEqual([r.spec]);
    expect(pool.pending).toBe(0);
    pool.close();
  });

  test("a header-only error reply without a question is accepted", async () => {
    const platform = memoryPlatform();
    const r = await startFakeResolver(platform, (q) => reply({ ...q, questions: [] }, { rcode: 1 }));
    const pool = createUdpUpstreamPool({ platform, nextId: createIdSource() });
    const q = query("a.test", "A");
    expect((await pool.exchange(parseUpstream(r.spec)!, q, questionEnd(q), 1000)).outcome).toBe("ok");
    pool.close();
  });

  test("a socket that carried rotateAfterQueries queries is replaced, and closed once its last reply came", async () => {
    const platform = memoryPlatform();
    const ports: number[] = [];
    const held: (() => void)[] = [];
    const r = await startFakeResolver(platform, (q) => {
      if (q.questions![0]!.name !== "slow.test") return reply(q);
      return new Promise((done) => held.push(() => done(reply(q))));
    });
    const bind = platform.bindUdp.bind(platform);
    const closedPorts: number[] = [];
    platform.bindUdp = async (o) => {
      const socket = await bind(o);
      return {
        local: socket.local,
        send(data, to) {
          ports.push(socket.local.port);
          socket.send(data, to);
        },
        close() {
          closedPorts.push(socket.local.port);
          socket.close();
        },
      };
    };
    const pool = createUdpUpstreamPool({
      platform,
      nextId: createIdSource(),
      socketsPerFamily: 1,
      rotateAfterQueries: 2,
    });
    const up = parseUpstream(r.spec)!;
    const ask = (name: string) => {
      const q = query(name, "A");
      return pool.exchange(up, q, questionEnd(q), 1000);
    };
    expect((await ask("a.test")).outcome).toBe("ok");
    const slow = ask("slow.test"); // the second query: the socket is due for replacement
    await new Promise((done) => setTimeout(done, 5));
    expect(pool.sockets).toBe(2);
    expect(pool.pending).toBe(1);
    expect((await ask("b.test")).outcome).toBe("ok");
    expect(new Set(ports).size).toBe(2);
    expect(ports[2]).not.toBe(ports[0]);
    expect(closedPorts).toEqual([]);
    for (const release of held) release();
    expect((await slow).outcome).toBe("ok");
    expect(pool.pending).toBe(0);
    expect(pool.sockets).toBe(1);
    expect(closedPorts).toEqual([ports[0]!]);
    pool.close();
    expect(pool.sockets).toBe(0);
    expect(closedPorts).toEqual([ports[0]!, ports[2]!]);
  });

  test("a socket older than rotateAfterMs is replaced at its next query", async () => {
    const platform = memoryPlatform();
    const ports = new Set<number>();
    const r = await startFakeResolver(platform, (q) => reply(q));
    const bind = platform.bindUdp.bind(platform);
    platform.bindUdp = async (o) => {
      const socket = await bind(o);
      ports.add(socket.local.port);
      return socket;
    };
    let t = 1_000_000;
    const pool = createUdpUpstreamPool({
      platform,
      nextId: createIdSource(),
      socketsPerFamily: 1,
      rotateAfterMs: 60_000,
      now: () => t,
    });
    const up = parseUpstream(r.spec)!;
    const q = query("a.test", "A");
    expect((await pool.exchange(up, q, questionEnd(q), 1000)).outcome).toBe("ok");
    expect(ports.size).toBe(1);
    t += 59_000;
    expect((await pool.exchange(up, q, questionEnd(q), 1000)).outcome).toBe("ok");
    await new Promise((done) => setTimeout(done, 5));
    expect(ports.size).toBe(1);
    t += 1_000;
    expect((await pool.exchange(up, q, questionEnd(q), 1000)).outcome).toBe("ok");
    await new Promise((done) => setTimeout(done, 5));
    expect(ports.size).toBe(2);
    expect(pool.sockets).toBe(1);
    expect(pool.pending).toBe(0);
    pool.close();
  });

  test("close() fails waiting queries, clears their timers and makes later exchanges fail", async () => {
    const platform = memoryPlatform();
    const r = await startFakeResolver(platform, () => undefined);
    const pool = createUdpUpstreamPool({ platform, nextId: createIdSource() });
    const q = query("a.test", "A");
    const waiting = pool.exchange(parseUpstream(r.spec)!, q, questionEnd(q), 5000);
    await new Promise((done) => setTimeout(done, 5));
    expect(pool.pending).toBe(1);
    pool.close();
    expect((await waiting).outcome).toBe("error");
    expect(pool.pending).toBe(0);
    expect((await pool.exchange(parseUpstream(r.spec)!, q, questionEnd(q), 5000)).outcome).toBe("error");
  });
});
