import { describe, expect, test } from "bun:test";
import { memoryPlatform } from "../../src/adapters/memory.ts";
import { createIdSource } from "../../src/core/_upstream-exchange.ts";
import { get16, parseQuery } from "../../src/core/codec.ts";
import { createUdpUpstreamPool } from "../../src/core/udp-upstream-pool.ts";
import { parseUpstream } from "../../src/core/zone-routing.ts";
import { query, reply, startFakeResolver } from "../_fake-resolver.ts";

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
