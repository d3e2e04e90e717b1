import { describe, expect, test } from "bun:test";
import { memoryPlatform } from "../../../src/adapters/memory.ts";
import type { Config } from "../../../src/core/config/config.ts";
import { defaultConfig } from "../../../src/core/config/config.ts";
import type { ParsedQuery } from "../../../src/core/dns/codec.ts";
import { decodeMessage, get16, parseQuery } from "../../../src/core/dns/codec.ts";
import type { ForwardObserver } from "../../../src/core/forward/forwarder.ts";
import { createForwarder } from "../../../src/core/forward/forwarder.ts";
import type { Answerer } from "../../_fake-resolver.ts";
import { compressedAReply, query, reply, startFakeResolver } from "../../_fake-resolver.ts";
import { withOpt } from "../../_wire-text.ts";

const SOA = { mname: "ns.test", rname: "host.test", serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 30 };
const a = (name: string, ttl: number, data: string) => ({ name, type: "A" as const, ttl, data });

async function setup(answer: Answerer, config: Partial<Config> = {}, zoneAnswer?: Answerer) {
  const platform = memoryPlatform();
  const resolver = await startFakeResolver(platform, answer);
  const zone = zoneAnswer ? await startFakeResolver(platform, zoneAnswer, "127.0.0.2") : undefined;
  let t = 1_000_000;
  const events: string[] = [];
  const observer: ForwardObserver = {
    attempt: (r, outcome) => events.push(`${outcome} ${r}`),
    cache: (hit) => events.push(hit ? "hit" : "miss"),
    rejected: () => events.push("rejected"),
  };
  const forwarder = createForwarder({
    platform,
    config: {
      ...defaultConfig(),
      Resolvers: [resolver.spec],
      ZoneResolvers: zone ? { "Corp.Test": [zone.spec] } : {},
      Timeout: 1,
      ...config,
    },
    observer,
    now: () => t,
  });
  const ask = async (q: Uint8Array, transport: "udp" | "tcp" = "udp") => {
    const out = await forwarder.forward(q, parseQuery(q) as ParsedQuery, transport);
    return { bytes: out, msg: decodeMessage(out)! };
  };
  return { platform, resolver, zone, forwarder, ask, events, advance: (s: number) => (t += s * 1000) };
}

const hostA: Answerer = (q) => reply(q, { aa: true, answers: [a(q.questions![0]!.name, 300, "10.8.8.8")] });

describe("createForwarder() on the memory platform", () => {
  test("forward() relays the resolver's reply with the client's ID and the resolver's flags", async () => {
    const s = await setup((q) => reply(q, { rcode: 3, aa: true }));
    const { bytes, msg } = await s.ask(query("nx.fwd.test", "A", { id: 0x5151 }));
    expect(get16(bytes, 0)).toBe(0x5151);
    expect(msg.rcode).toBe("NXDOMAIN");
    expect(msg.flag_aa).toBe(true);
    expect(msg.flag_ra).toBe(true);
    expect(s.events).toEqual(["miss", "ok 127.0.0.1:" + s.resolver.port]);
  });

  test("forward() answers REFUSED, with the question and RD copied, when ExternalOn is false", async () => {
    const s = await setup(hostA, { ExternalOn: false });
    const { bytes, msg } = await s.ask(query("google.com", "A", { id: 9 }));
    expect(msg.rcode).toBe("REFUSED");
    expect(get16(bytes, 0)).toBe(9);
    expect(msg.flag_rd).toBe(true);
    expect(msg.flag_aa || msg.flag_ra).toBe(false);
    expect(msg.questions).toEqual([{ name: "google.com", type: "A", class: "IN" }]);
    expect(s.resolver.received.udp).toBe(0);
  });

  test("forward() answers REFUSED when there are no default resolvers", async () => {
    const s = await setup(hostA, { Resolvers: [] });
    expect((await s.ask(query("google.com", "A"))).msg.rcode).toBe("REFUSED");
  });

  test("forward() sends a name in a zone (any case) to that zone's resolvers only", async () => {
    const s = await setup(hostA, {}, (q) => reply(q, { rcode: 2 }));
    const { msg } = await s.ask(query("www.CORP.test", "A"));
    expect(msg.rcode).toBe("SERVFAIL");
    expect(s.zone!.received.udp).toBe(1);
    expect(s.resolver.received.udp).toBe(0);
  });

  test("forward() takes the first reply whatever its rcode and does not ask the next resolver", async () => {
    const platform = memoryPlatform();
    const first = await startFakeResolver(platform, (q) => reply(q, { rcode: 5 }));
    const second = await startFakeResolver(platform, hostA);
    const forwarder = createForwarder({
      platform,
      config: { ...defaultConfig(), Resolvers: [first.spec, second.spec] },
    });
    const q = query("x.test", "A");
    const out = decodeMessage(await forwarder.forward(q, parseQuery(q) as ParsedQuery, "udp"))!;
    expect(out.rcode).toBe("REFUSED");
    expect(second.received.udp).toBe(0);
  });

  test("forward() serves a repeated query from the cache with TTLs lowered by the elapsed time", async () => {
    const s = await setup(hostA);
    await s.ask(query("host.fwd.test", "A"));
    s.advance(100);
    const { msg } = await s.ask(query("HOST.fwd.test", "A", { id: 77 }));
    expect(msg.id).toBe(77);
    expect(msg.answers![0]!.ttl).toBe(200);
    expect(msg.questions![0]!.name).toBe("HOST.fwd.test");
    expect(s.resolver.received.udp).toBe(1);
    expect(s.events.filter((e) => e === "hit" || e === "miss")).toEqual(["miss", "hit"]);
  });

  test("forward() serves a cached reply to a second COOKIE client without the first client's cookie", async () => {
    // The resolver echoes the client cookie (the last 8 bytes of the query) and adds its own.
    const s = await setup((q, raw) =>
      withOpt(reply(q, { answers: [a(q.questions![0]!.name, 300, "10.8.8.8")] }), [
        { code: 10, data: [...raw.subarray(raw.length - 8), ...new Array(16).fill(7)] },
      ]),
    );
    const clientCookie = (seed: number) => ({
      code: 10,
      data: Array.from({ length: 8 }, (_, i) => seed + i),
    });
    const first = await s.ask(withOpt(query("cookie.fwd.test", "A"), [clientCookie(1)]));
    expect(Array.from(first.bytes.subarray(first.bytes.length - 24, first.bytes.length - 16))).toEqual(
      clientCookie(1).data,
    );
    const second = await s.ask(withOpt(query("cookie.fwd.test", "A", { id: 5 }), [clientCookie(100)]));
    expect(s.resolver.received.udp).toBe(1);
    expect(second.msg.id).toBe(5);
    expect(second.msg.answers![0]!.data).toBe("10.8.8.8");
    const opt = second.msg.additionals![0] as unknown as {
      type: string;
      udpPayloadSize: number;
      options: unknown[];
    };
    expect(opt.type).toBe("OPT");
    expect(opt.udpPayloadSize).toBe(1232);
    expect(opt.options).toEqual([]);
  });

  test("forward() does not cache the reply to a query carrying a Client Subnet option", async () => {
    const s = await setup(hostA);
    const ecs = () => withOpt(query("ecs.fwd.test", "A"), [{ code: 8, data: [0, 1, 24, 0, 10, 1, 2] }]);
    await s.ask(ecs());
    await s.ask(ecs());
    expect(s.resolver.received.udp).toBe(2);
    expect(s.forwarder.stats().cacheEntries).toBe(0);
  });

  test("forward() caches NXDOMAIN with an SOA but never SERVFAIL or TC replies", async () => {
    let rcode = 3;
    let tc = false;
    const s = await setup((q) =>
      reply(q, { rcode, tc, authorities: [{ name: "test", type: "SOA", ttl: 60, data: SOA }] }),
    );
    await s.ask(query("nx.test", "A"));
    await s.ask(query("nx.test", "A"));
    expect(s.resolver.received.udp).toBe(1);
    s.advance(30);
    await s.ask(query("nx.test", "A"));
    expect(s.resolver.received.udp).toBe(2);
    rcode = 2;
    await s.ask(query("fail.test", "A"));
    await s.ask(query("fail.test", "A"));
    expect(s.resolver.received.udp).toBe(4);
    rcode = 0;
    tc = true;
    await s.ask(query("tc.test", "A"));
    await s.ask(query("tc.test", "A"));
    expect(s.resolver.received.udp).toBe(6);
  });

  test("forward() does not cache at all when ForwardCacheSize is 0", async () => {
    const s = await setup(hostA, { ForwardCacheSize: 0 });
    await s.ask(query("host.fwd.test", "A"));
    await s.ask(query("host.fwd.test", "A"));
    expect(s.resolver.received.udp).toBe(2);
    expect(s.events).not.toContain("miss");
  });

  test("forward() truncates a cached TCP reply of 40 answers to 30 with TC for a UDP client", async () => {
    const forty = Array.from({ length: 40 }, (_, i) => `10.8.1.${i + 1}`);
    const s = await setup((_q, raw) => compressedAReply(raw, forty, 60));
    const viaTcp = await s.ask(query("big.fwd.test", "A"), "tcp");
    expect(viaTcp.msg.answers).toHaveLength(40);
    const viaUdp = await s.ask(query("big.fwd.test", "A"), "udp");
    expect(viaUdp.msg.answers).toHaveLength(30);
    expect(viaUdp.msg.flag_tc).toBe(true);
    expect(viaUdp.bytes.length).toBeLessThan(512);
    expect(s.resolver.received).toEqual({ udp: 0, tcp: 1 });
  });

  test("forward() answers SERVFAIL at once beyond ForwardMaxInFlight queries in flight", async () => {
    const held: (() => void)[] = [];
    const s = await setup(
      (q) => new Promise((done) => held.push(() => done(hostA(q, new Uint8Array(), "udp") as Uint8Array))),
      {
        ForwardMaxInFlight: 1,
        ForwardCacheSize: 0,
      },
    );
    const first = s.ask(query("one.test", "A"));
    await new Promise((r) => setTimeout(r, 5));
    const second = await s.ask(query("two.test", "A"));
    expect(second.msg.rcode).toBe("SERVFAIL");
    expect(s.events).toContain("rejected");
    expect(s.forwarder.stats().inFlight).toBe(1);
    for (const release of held) release();
    expect((await first).msg.rcode).toBe("NOERROR");
    expect(s.forwarder.stats().inFlight).toBe(0);
  });

  test("forward() pipelines concurrent TCP queries over one connection", async () => {
    const s = await setup(hostA, { ForwardCacheSize: 0 });
    const replies = await Promise.all(["a", "b", "c"].map((n) => s.ask(query(`${n}.test`, "A"), "tcp")));
    expect(replies.map((r) => r.msg.answers![0]!.name)).toEqual(["a.test", "b.test", "c.test"]);
    expect(s.resolver.connections()).toBe(1);
    expect(s.forwarder.stats().tcpConnections).toBe(1);
    await s.forwarder.close();
    expect(s.forwarder.stats()).toEqual({
      inFlight: 0,
      pendingUdp: 0,
      pendingTcp: 0,
      tcpConnections: 0,
      cacheEntries: 0,
    });
  });

  test("forward() answers SERVFAIL after close()", async () => {
    const s = await setup(hostA);
    await s.forwarder.close();
    expect((await s.ask(query("host.fwd.test", "A"))).msg.rcode).toBe("SERVFAIL");
  });
});
