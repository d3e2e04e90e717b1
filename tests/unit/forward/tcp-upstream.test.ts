import { describe, expect, test } from "bun:test";
import { memoryPlatform } from "../../../src/adapters/memory.ts";
import { decodeMessage, get16, parseQuery } from "../../../src/core/dns/codec.ts";
import { FrameReader, frameMessage } from "../../../src/core/dns/tcp-framing.ts";
import { createIdSource } from "../../../src/core/forward/_upstream-exchange.ts";
import { createTcpUpstreams } from "../../../src/core/forward/tcp-upstream.ts";
import { parseUpstream } from "../../../src/core/forward/zone-routing.ts";
import { query, reply, startFakeResolver } from "../../_fake-resolver.ts";

const questionEnd = (q: Uint8Array) => (parseQuery(q) as { questionEnd: number }).questionEnd;

describe("createTcpUpstreams()", () => {
  test("exchange() rewrites the ID on the wire and leaves the caller's query untouched", async () => {
    const platform = memoryPlatform();
    const seen: number[] = [];
    const r = await startFakeResolver(platform, (q) => {
      seen.push(q.id!);
      return reply(q);
    });
    const tcp = createTcpUpstreams({ platform, nextId: createIdSource(() => 0.5) });
    const q = query("a.test", "A", { id: 0x1111 });
    const result = await tcp.exchange(parseUpstream(r.spec)!, q, questionEnd(q), 1000);
    expect(result.outcome).toBe("ok");
    expect(seen).toEqual([0x8000]);
    expect(get16(q, 0)).toBe(0x1111);
    tcp.close();
  });

  test("a connection left without queries is closed after idleMs", async () => {
    const platform = memoryPlatform();
    const r = await startFakeResolver(platform, (q) => reply(q));
    const tcp = createTcpUpstreams({ platform, nextId: createIdSource(), idleMs: 30 });
    const q = query("a.test", "A");
    await tcp.exchange(parseUpstream(r.spec)!, q, questionEnd(q), 1000);
    expect(tcp.connections).toBe(1);
    await new Promise((done) => setTimeout(done, 80));
    expect(tcp.connections).toBe(0);
    await tcp.exchange(parseUpstream(r.spec)!, q, questionEnd(q), 1000);
    expect(r.connections()).toBe(2);
    tcp.close();
  });

  test("a reply to another question on the connection is dropped as stray", async () => {
    const platform = memoryPlatform();
    const r = await startFakeResolver(platform, (q) =>
      reply({ ...q, questions: [{ name: "other.test", type: "A", class: "IN" }] }),
    );
    const strays: string[] = [];
    const tcp = createTcpUpstreams({
      platform,
      nextId: createIdSource(),
      onStray: (from) => strays.push(`${from.port}`),
    });
    const q = query("a.test", "A");
    const result = await tcp.exchange(parseUpstream(r.spec)!, q, questionEnd(q), 50);
    expect(result.outcome).toBe("timeout");
    expect(strays).toEqual([String(r.port)]);
    expect(tcp.pending).toBe(0);
    tcp.close();
  });

  test("a query that joined a connection still opening is retried when the resolver closes after the first reply", async () => {
    const platform = memoryPlatform();
    let accepted = 0;
    // A resolver that answers the first query of each connection, then closes it.
    const server = await platform.listenTcp({
      address: "127.0.0.1",
      port: 0,
      onConnection(conn) {
        accepted++;
        const reader = new FrameReader();
        let answered = false;
        return {
          onData(chunk) {
            for (const raw of reader.push(chunk) ?? []) {
              if (answered) continue;
              answered = true;
              conn.write(frameMessage(reply(decodeMessage(raw)!)));
              conn.close();
            }
          },
          onClose() {},
        };
      },
    });
    const tcp = createTcpUpstreams({ platform, nextId: createIdSource() });
    const up = parseUpstream(`127.0.0.1:${server.local.port}`)!;
    const qa = query("a.test", "A");
    const qb = query("b.test", "A");
    // Both start before the connection is up: the second joins the first's connection.
    const results = await Promise.all([
      tcp.exchange(up, qa, questionEnd(qa), 1000),
      tcp.exchange(up, qb, questionEnd(qb), 1000),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(["ok", "ok"]);
    expect(accepted).toBe(2);
    expect(tcp.pending).toBe(0);
    tcp.close();
    await server.close();
  });

  test("exchange() reports a refused connection as refused", async () => {
    const platform = memoryPlatform();
    const tcp = createTcpUpstreams({ platform, nextId: createIdSource() });
    const q = query("a.test", "A");
    expect((await tcp.exchange(parseUpstream("127.0.0.1:9")!, q, questionEnd(q), 1000)).outcome).toBe(
      "refused",
    );
    expect(tcp.connections).toBe(0);
  });

  test("close() fails waiting queries and closes the connection", async () => {
    const platform = memoryPlatform();
    const r = await startFakeResolver(platform, () => undefined);
    const tcp = createTcpUpstreams({ platform, nextId: createIdSource() });
    const q = query("a.test", "A");
    const waiting = tcp.exchange(parseUpstream(r.spec)!, q, questionEnd(q), 5000);
    await new Promise((done) => setTimeout(done, 5));
    expect(tcp.pending).toBe(1);
    tcp.close();
    expect((await waiting).outcome).toBe("error");
    expect(tcp.pending).toBe(0);
    expect(tcp.connections).toBe(0);
    expect(decodeMessage(q)!.id).toBe(0x1234);
  });
});
