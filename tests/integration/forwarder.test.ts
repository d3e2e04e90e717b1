/**
 * The forwarder against small fake resolvers on loopback, through the Bun adapter: dead,
 * silent, lying and truncating resolvers; every case ends with the right answer or SERVFAIL
 * within the timeout (1 s here), and nothing left waiting afterwards.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { bunPlatform } from "../../src/adapters/bun.ts";
import type { Config } from "../../src/core/config/config.ts";
import { defaultConfig } from "../../src/core/config/config.ts";
import type { ParsedQuery } from "../../src/core/dns/codec.ts";
import { decodeMessage, parseQuery } from "../../src/core/dns/codec.ts";
import { FrameReader, frameMessage } from "../../src/core/dns/tcp-framing.ts";
import type { ForwarderWithStats } from "../../src/core/forward/forwarder.ts";
import { createForwarder } from "../../src/core/forward/forwarder.ts";
import type { UdpSocket } from "../../src/core/platform.ts";
import type { Answerer, FakeResolver } from "../_fake-resolver.ts";
import { query, reply, startFakeResolver } from "../_fake-resolver.ts";

const platform = bunPlatform;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const good: Answerer = (q) =>
  reply(q, { aa: true, answers: [{ name: q.questions![0]!.name, type: "A", ttl: 60, data: "10.8.8.8" }] });

async function resolver(answer: Answerer): Promise<FakeResolver> {
  const r = await startFakeResolver(platform, answer);
  cleanups.push(() => r.close());
  return r;
}

/** A loopback port with nothing listening (UDP nor TCP). */
async function closedPort(): Promise<string> {
  const s = await platform.bindUdp({ address: "127.0.0.1", port: 0, onMessage() {} });
  const port = s.local.port;
  s.close();
  return `127.0.0.1:${port}`;
}

function forwarderFor(resolvers: string[], config: Partial<Config> = {}) {
  const events: string[] = [];
  const forwarder = createForwarder({
    platform,
    config: { ...defaultConfig(), Resolvers: resolvers, Timeout: 1, ForwardCacheSize: 0, ...config },
    observer: { attempt: (r, outcome) => events.push(`${outcome} ${r}`) },
  });
  cleanups.push(() => forwarder.close());
  const ask = async (name: string, transport: "udp" | "tcp" = "udp", qtype = "A") => {
    const q = query(name, qtype);
    const started = performance.now();
    const out = await forwarder.forward(q, parseQuery(q) as ParsedQuery, transport);
    return { msg: decodeMessage(out)!, ms: performance.now() - started };
  };
  return { forwarder, ask, events };
}

function expectIdle(f: ForwarderWithStats) {
  const { inFlight, pendingUdp, pendingTcp } = f.stats();
  expect({ inFlight, pendingUdp, pendingTcp }).toEqual({ inFlight: 0, pendingUdp: 0, pendingTcp: 0 });
}

describe("forwarder on loopback (Bun)", () => {
  test("a down resolver (closed port) is skipped within the timeout and the next one answers", async () => {
    const ok = await resolver(good);
    const { forwarder, ask } = forwarderFor([await closedPort(), ok.spec]);
    const { msg, ms } = await ask("host.fwd.test");
    expect(msg.answers![0]!.data).toBe("10.8.8.8");
    expect(ms).toBeLessThan(1600);
    expectIdle(forwarder);
  });

  test("a down resolver over TCP counts as refused at once", async () => {
    const ok = await resolver(good);
    const { forwarder, ask, events } = forwarderFor([await closedPort(), ok.spec]);
    const { msg, ms } = await ask("host.fwd.test", "tcp");
    expect(msg.rcode).toBe("NOERROR");
    expect(ms).toBeLessThan(900); // refused at once: well before the 1 s timeout
    expect(events[0]).toStartWith("refused ");
    expectIdle(forwarder);
  });

  test("a resolver that never answers gives SERVFAIL after the timeout and leaves nothing pending", async () => {
    const silent = await resolver(() => undefined);
    const { forwarder, ask, events } = forwarderFor([silent.spec]);
    const { msg, ms } = await ask("host.fwd.test");
    expect(msg.rcode).toBe("SERVFAIL");
    expect(msg.flag_aa || msg.flag_ra).toBe(false);
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(1600);
    expect(events).toEqual([`timeout ${silent.spec}`]);
    expectIdle(forwarder);
  });

  test("a reply with the wrong ID is dropped as spoofed; the next resolver answers", async () => {
    const liar = await resolver((q) => reply(q, { id: (q.id! + 1) & 0xffff }));
    const ok = await resolver(good);
    const { forwarder, ask, events } = forwarderFor([liar.spec, ok.spec]);
    const { msg, ms } = await ask("host.fwd.test");
    expect(msg.answers![0]!.data).toBe("10.8.8.8");
    expect(ms).toBeLessThan(1600);
    expect(events).toEqual([`spoofed ${liar.spec}`, `timeout ${liar.spec}`, `ok ${ok.spec}`]);
    expectIdle(forwarder);
  });

  test("forged replies (other question, other ID) before the real one are dropped; the real one is taken", async () => {
    const r = await platform.bindUdp({
      address: "127.0.0.1",
      port: 0,
      onMessage(data, from, socket) {
        const q = decodeMessage(new Uint8Array(data))!;
        const real = good(q, data, "udp") as Uint8Array;
        const otherName = new Uint8Array(real);
        otherName[13]! ^= 0x01;
        const otherId = new Uint8Array(real);
        otherId[1]! ^= 0x01;
        socket.send(otherName, from);
        socket.send(otherId, from);
        setTimeout(() => socket.send(real, from), 20);
      },
    });
    cleanups.push(() => r.close());
    const spec = `127.0.0.1:${r.local.port}`;
    const { forwarder, ask, events } = forwarderFor([spec]);
    const { msg } = await ask("host.fwd.test");
    expect(msg.answers![0]!.data).toBe("10.8.8.8");
    expect(events).toEqual([`spoofed ${spec}`, `spoofed ${spec}`, `ok ${spec}`]);
    expectIdle(forwarder);
  });

  test("a reply from another address or port is dropped as spoofed", async () => {
    const sockets: UdpSocket[] = [];
    const other = await platform.bindUdp({ address: "127.0.0.1", port: 0, onMessage() {} });
    sockets.push(other);
    const r = await platform.bindUdp({
      address: "127.0.0.1",
      port: 0,
      onMessage(data, from) {
        const q = decodeMessage(new Uint8Array(data))!;
        other.send(good(q, data, "udp") as Uint8Array, from); // right ID and question, wrong source port
      },
    });
    sockets.push(r);
    cleanups.push(() => {
      for (const s of sockets) s.close();
    });
    const spec = `127.0.0.1:${r.local.port}`;
    const { forwarder, ask, events } = forwarderFor([spec]);
    const { msg } = await ask("host.fwd.test");
    expect(msg.rcode).toBe("SERVFAIL");
    expect(events).toEqual([`spoofed ${spec}`, `timeout ${spec}`]);
    expectIdle(forwarder);
  });

  test("a truncated UDP reply is relayed with TC and not retried over TCP", async () => {
    const r = await resolver((q) => reply(q, { tc: true, aa: true }));
    const { forwarder, ask } = forwarderFor([r.spec]);
    const { msg } = await ask("big.fwd.test");
    expect(msg.flag_tc).toBe(true);
    expect(r.received).toEqual({ udp: 1, tcp: 0 });
    expectIdle(forwarder);
  });

  test("a truncated UDP reply loses its TC bit when SetTruncateBit is false", async () => {
    const r = await resolver((q) => reply(q, { tc: true }));
    const { ask } = forwarderFor([r.spec], { SetTruncateBit: false });
    expect((await ask("big.fwd.test")).msg.flag_tc).toBe(false);
  });

  test("an unparsable reply counts as an error and the next resolver is asked", async () => {
    const broken = await resolver((q) => {
      const bytes = reply(q, {
        answers: [{ name: q.questions![0]!.name, type: "A", ttl: 60, data: "1.2.3.4" }],
      });
      return bytes.subarray(0, bytes.length - 2);
    });
    const ok = await resolver(good);
    const { ask, events } = forwarderFor([broken.spec, ok.spec]);
    expect((await ask("host.fwd.test")).msg.answers![0]!.data).toBe("10.8.8.8");
    expect(events).toEqual([`error ${broken.spec}`, `ok ${ok.spec}`]);
  });

  test("a resolver that failed 3 times in a row is asked last, so later queries do not wait for it", async () => {
    const silent = await resolver(() => undefined);
    const ok = await resolver(good);
    const { forwarder, ask } = forwarderFor([silent.spec, ok.spec]);
    for (let i = 0; i < 3; i++) expect((await ask(`q${i}.test`)).ms).toBeGreaterThan(900);
    const fast = await ask("q4.test");
    expect(fast.msg.rcode).toBe("NOERROR");
    expect(fast.ms).toBeLessThan(900); // the dead resolver is no longer waited for (1 s)
    expect(silent.received.udp).toBe(3);
    expectIdle(forwarder);
  }, 10_000);

  test("TCP queries reuse one connection, which is closed by close()", async () => {
    const r = await resolver(good);
    const { forwarder, ask } = forwarderFor([r.spec]);
    for (const n of ["a", "b", "c"]) expect((await ask(`${n}.test`, "tcp")).msg.rcode).toBe("NOERROR");
    await Promise.all(["d", "e"].map((n) => ask(`${n}.test`, "tcp")));
    expect(r.connections()).toBe(1);
    expect(forwarder.stats().tcpConnections).toBe(1);
    await forwarder.close();
    expect(forwarder.stats().tcpConnections).toBe(0);
    expectIdle(forwarder);
  });

  test("a TCP query is retried once on a new connection when the resolver closes a reused one", async () => {
    let accepted = 0;
    // Answers the first query of each connection and closes the connection on the second.
    const server = await platform.listenTcp({
      address: "127.0.0.1",
      port: 0,
      onConnection(conn) {
        accepted++;
        const reader = new FrameReader();
        let served = 0;
        return {
          onData(chunk) {
            for (const raw of reader.push(chunk) ?? []) {
              if (served++ > 0) return conn.close();
              conn.write(frameMessage(good(decodeMessage(raw)!, raw, "tcp") as Uint8Array));
            }
          },
          onClose() {},
        };
      },
    });
    cleanups.push(() => server.close());
    const spec = `127.0.0.1:${server.local.port}`;
    const { forwarder, ask, events } = forwarderFor([spec]);
    expect((await ask("a.test", "tcp")).msg.rcode).toBe("NOERROR");
    expect((await ask("b.test", "tcp")).msg.rcode).toBe("NOERROR");
    expect(events).toEqual([`ok ${spec}`, `ok ${spec}`]);
    expect(accepted).toBe(2);
    expectIdle(forwarder);
  });

  test("close() ends waiting queries with SERVFAIL and clears their timers", async () => {
    const silent = await resolver(() => undefined);
    const { forwarder, ask } = forwarderFor([silent.spec]);
    const waiting = ask("host.fwd.test");
    await new Promise((done) => setTimeout(done, 50));
    expect(forwarder.stats().pendingUdp).toBe(1);
    await forwarder.close();
    const { msg, ms } = await waiting;
    expect(msg.rcode).toBe("SERVFAIL");
    expect(ms).toBeLessThan(900); // close() answers at once, not after the 1 s timeout
    expectIdle(forwarder);
  });

  test("forward() answers REFUSED at once when ExternalOn is false", async () => {
    const r = await resolver(good);
    const { ask } = forwarderFor([r.spec], { ExternalOn: false });
    expect((await ask("google.com")).msg.rcode).toBe("REFUSED");
    expect(r.received.udp).toBe(0);
  });

  test("an IPv6 resolver is reached from an IPv6 socket", async () => {
    let r: FakeResolver;
    try {
      r = await startFakeResolver(platform, good, "::1");
    } catch (error) {
      if (process.env.CI === "true") throw error;
      console.warn(`skipped: IPv6 loopback not available (${error})`);
      return;
    }
    cleanups.push(() => r.close());
    const { ask } = forwarderFor([r.spec]);
    expect((await ask("host.fwd.test")).msg.answers![0]!.data).toBe("10.8.8.8");
  });
});
