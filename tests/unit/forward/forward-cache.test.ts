import { describe, expect, test } from "bun:test";
import type { MessageToEncode, ParsedQuery } from "../../../src/core/dns/codec.ts";
import { decodeMessage, encodeMessage, get16, parseQuery } from "../../../src/core/dns/codec.ts";
import { layoutMessage } from "../../../src/core/dns/message-walk.ts";
import { cacheTtl, createForwardCache } from "../../../src/core/forward/forward-cache.ts";
import { query } from "../../_fake-resolver.ts";
import { withOpt } from "../../_wire-text.ts";

const SOA = { mname: "ns.test", rname: "host.test", serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 50 };

function msg(fields: Partial<MessageToEncode> & { rcode?: number; tc?: boolean }): Uint8Array {
  return new Uint8Array(
    encodeMessage({
      id: 7,
      type: "response",
      flags: 0x8180 | (fields.tc ? 0x0200 : 0) | (fields.rcode ?? 0),
      questions: [{ name: "a.test", type: "A", class: "IN" }],
      answers: fields.answers ?? [],
      authorities: fields.authorities ?? [],
      additionals: fields.additionals ?? [],
    }),
  );
}
const ttlOf = (m: Uint8Array, max = 3600) => cacheTtl(m, layoutMessage(m)!, max);
const a = (ttl: number, data = "10.0.0.1") => ({ name: "a.test", type: "A" as const, ttl, data });
const soa = (ttl: number, minimum = 50) => ({
  name: "test",
  type: "SOA" as const,
  ttl,
  data: { ...SOA, minimum },
});

describe("cacheTtl()", () => {
  test("cacheTtl() is the smallest TTL of the answer and authority records", () => {
    const m = msg({
      answers: [a(300), a(120, "10.0.0.2")],
      authorities: [{ name: "test", type: "NS", ttl: 200, data: "ns.test" }],
      additionals: [{ name: "ns.test", type: "A", ttl: 5, data: "10.0.0.9" }],
    });
    expect(ttlOf(m)).toBe(120);
  });
  test("cacheTtl() is capped at the maximum", () => {
    expect(ttlOf(msg({ answers: [a(300)] }), 100)).toBe(100);
  });
  test("cacheTtl() caches NXDOMAIN and NODATA for min(SOA TTL, SOA MINIMUM)", () => {
    expect(ttlOf(msg({ rcode: 3, authorities: [soa(900, 50)] }))).toBe(50);
    expect(ttlOf(msg({ authorities: [soa(40, 50)] }))).toBe(40);
  });
  test("cacheTtl() does not cache a negative answer without SOA", () => {
    expect(ttlOf(msg({ rcode: 3 }))).toBe(0);
    expect(ttlOf(msg({}))).toBe(0);
  });
  test("cacheTtl() never caches SERVFAIL, REFUSED, FORMERR or truncated replies", () => {
    for (const rcode of [1, 2, 5])
      expect(ttlOf(msg({ rcode, answers: [a(300)], authorities: [soa(60)] }))).toBe(0);
    expect(ttlOf(msg({ tc: true, answers: [a(300)] }))).toBe(0);
  });
  test("cacheTtl() does not cache answers with TTL 0", () => {
    expect(ttlOf(msg({ answers: [a(0)] }))).toBe(0);
  });
});

describe("createForwardCache()", () => {
  function setup(size = 10) {
    let t = 5_000_000;
    const cache = createForwardCache({ size, maxTtl: 3600, now: () => t });
    return { cache, advance: (s: number) => (t += s * 1000) };
  }
  const parsed = (q: Uint8Array) => parseQuery(q) as ParsedQuery;
  const store = (cache: ReturnType<typeof setup>["cache"], m: Uint8Array, q = query("a.test", "A")) => {
    const key = cache.key(parsed(q), q)!;
    return cache.put(key, m, layoutMessage(m)!);
  };

  test("get() returns the reply with the client's ID and TTLs lowered by the elapsed seconds", () => {
    const { cache, advance } = setup();
    const m = msg({
      answers: [a(300)],
      additionals: [
        { name: "ns.test", type: "A", ttl: 20, data: "10.0.0.9" },
        { name: ".", type: "OPT", udpPayloadSize: 1232, flags: 0x8000, options: [] } as never,
      ],
    });
    expect(store(cache, m)).toBe(true);
    advance(30.9);
    const q = query("a.test", "A", { id: 0x4242 });
    const hit = cache.get(cache.key(parsed(q), q)!, q, parsed(q))!;
    expect(get16(hit.bytes, 0)).toBe(0x4242);
    const decoded = decodeMessage(hit.bytes)!;
    expect(decoded.answers![0]!.ttl).toBe(270);
    expect(decoded.additionals![0]!.ttl).toBe(0);
    // The OPT record's TTL field holds EDNS flags (DO here) and is left alone.
    expect(hit.bytes[hit.bytes.length - 11 + 7]).toBe(0x80);
  });

  test("get() misses once the TTL has run out", () => {
    const { cache, advance } = setup();
    store(cache, msg({ answers: [a(60)] }));
    const q = query("a.test", "A");
    advance(59.9);
    const hit = cache.get(cache.key(parsed(q), q)!, q, parsed(q));
    expect(decodeMessage(hit!.bytes)?.answers.map((r) => `${r.data} ${r.ttl}`)).toEqual(["10.0.0.1 1"]);
    advance(0.1);
    expect(cache.get(cache.key(parsed(q), q)!, q, parsed(q))).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  test("get() copies the client's RD bit and spelling of the question", () => {
    const { cache } = setup();
    // The resolver's reply has RD set; a client without RD gets it cleared.
    store(cache, msg({ answers: [a(60)] }), query("a.test", "A", { rd: false }));
    const q = query("A.TeSt", "A", { rd: false });
    const hit = cache.get(cache.key(parsed(q), q)!, q, parsed(q))!;
    expect(get16(hit.bytes, 2) & 0x0100).toBe(0);
    expect(decodeMessage(hit.bytes)!.questions![0]!.name).toBe("A.TeSt");
  });

  test("key() separates DO, CD and EDNS presence, and ignores the name's case", () => {
    const { cache } = setup();
    const k = (q: Uint8Array) => cache.key(parsed(q), q);
    expect(k(query("A.test", "A"))).toBe(k(query("a.TEST", "A"))!);
    const keys = new Set([
      k(query("a.test", "A")),
      k(query("a.test", "A", { edns: 1232 })),
      k(query("a.test", "A", { edns: 1232, do: true })),
      k(query("a.test", "A", { cd: true })),
      k(query("a.test", "AAAA")),
    ]);
    expect(keys.size).toBe(5);
  });

  test("put() evicts the least recently used entry beyond the size", () => {
    const { cache } = setup(2);
    const m = msg({ answers: [a(60)] });
    const qa = query("a.test", "A");
    const qb = query("b.test", "A");
    const qc = query("c.test", "A");
    store(cache, m, qa);
    store(cache, m, qb);
    cache.get(cache.key(parsed(qa), qa)!, qa, parsed(qa)); // a is now the most recent
    store(cache, m, qc);
    expect(cache.size).toBe(2);
    expect(cache.get(cache.key(parsed(qb), qb)!, qb, parsed(qb))).toBeUndefined();
    const hit = cache.get(cache.key(parsed(qa), qa)!, qa, parsed(qa));
    expect(decodeMessage(hit!.bytes)?.answers.map((r) => r.data)).toEqual(["10.0.0.1"]);
  });

  test("a cache of size 0 keys nothing and stores nothing", () => {
    const { cache } = setup(0);
    const q = query("a.test", "A");
    expect(cache.key(parsed(q), q)).toBeUndefined();
    expect(cache.put("k", msg({ answers: [a(60)] }), layoutMessage(msg({ answers: [a(60)] }))!)).toBe(false);
  });

  test("put() stores a copy, so later changes to the reply do not reach the cache", () => {
    const { cache } = setup();
    const m = msg({ answers: [a(60)] });
    store(cache, m);
    m.fill(0, 12);
    const q = query("a.test", "A");
    expect(decodeMessage(cache.get(cache.key(parsed(q), q)!, q, parsed(q))!.bytes)!.answers![0]!.data).toBe(
      "10.0.0.1",
    );
  });
});

const cookie = (seed: number) => ({
  code: 10,
  data: Array.from({ length: 24 }, (_, i) => (seed + i) & 0xff),
});

describe("createForwardCache() safety", () => {
  function setup(size = 10) {
    let t = 5_000_000;
    const cache = createForwardCache({ size, maxTtl: 3600, now: () => t });
    return { cache, advance: (s: number) => (t += s * 1000) };
  }
  const parsed = (q: Uint8Array) => parseQuery(q) as ParsedQuery;
  const hitFor = (cache: ReturnType<typeof setup>["cache"], q: Uint8Array) => {
    const key = cache.key(parsed(q), q);
    return key === undefined ? undefined : cache.get(key, q, parsed(q));
  };
  const storeFor = (cache: ReturnType<typeof setup>["cache"], q: Uint8Array, m: Uint8Array) =>
    cache.put(cache.key(parsed(q), q)!, m, layoutMessage(m)!);

  test("put() refuses a reply without exactly one question (an NXDOMAIN+SOA header-only reply)", () => {
    const { cache } = setup();
    const q = query("a.test", "A");
    const noQuestion = new Uint8Array(
      encodeMessage({
        id: 7,
        type: "response",
        flags: 0x8183,
        questions: [],
        authorities: [soa(300)],
      }),
    );
    expect(storeFor(cache, q, noQuestion)).toBe(false);
    const two = new Uint8Array(
      encodeMessage({
        id: 7,
        type: "response",
        flags: 0x8180,
        questions: [
          { name: "a.test", type: "A", class: "IN" },
          { name: "b.test", type: "A", class: "IN" },
        ],
        answers: [a(60)],
      }),
    );
    expect(storeFor(cache, q, two)).toBe(false);
    expect(cache.size).toBe(0);
  });

  test("get() never replays the first client's COOKIE: the stored OPT keeps its size and flags, no options", () => {
    const { cache } = setup();
    const first = withOpt(query("a.test", "A"), [cookie(1)], true);
    const second = withOpt(query("a.test", "A", { id: 99 }), [cookie(100)], true);
    expect(cache.key(parsed(first), first)).toBe(cache.key(parsed(second), second)!);
    const upstream = withOpt(msg({ answers: [a(60)] }), [cookie(1)], true);
    expect(storeFor(cache, first, upstream)).toBe(true);
    const hit = hitFor(cache, second)!;
    // The walked layout handed out matches the bytes, and the bytes decode.
    expect(layoutMessage(hit.bytes)).toEqual(hit.layout);
    expect(hit.bytes.length).toBe(upstream.length - 28);
    const decoded = decodeMessage(hit.bytes)!;
    const opt = decoded.additionals![0] as unknown as {
      type: string;
      udpPayloadSize: number;
      flags: number;
      options: unknown[];
    };
    expect(opt.type).toBe("OPT");
    expect(opt.udpPayloadSize).toBe(1232);
    expect(opt.flags & 0x8000).toBe(0x8000);
    expect(opt.options).toEqual([]);
    expect(decoded.answers![0]!.data).toBe("10.0.0.1");
  });

  test("key() refuses a query carrying an EDNS Client Subnet option", () => {
    const { cache } = setup();
    const ecs = withOpt(query("a.test", "A"), [{ code: 8, data: [0, 1, 24, 0, 10, 1, 2] }], true);
    expect(cache.key(parsed(ecs), ecs)).toBeUndefined();
    const other = withOpt(query("a.test", "A"), [cookie(3)], true);
    // Other options do not change the key: it is the key of the same query without them.
    const bare = withOpt(query("a.test", "A"), [], true);
    expect(cache.key(parsed(other), other)).toBe(cache.key(parsed(bare), bare)!);
  });

  test("key() separates queries with and without RD", () => {
    const { cache } = setup();
    const rd = query("a.test", "A");
    const norec = query("a.test", "A", { rd: false });
    expect(cache.key(parsed(rd), rd)).not.toBe(cache.key(parsed(norec), norec)!);
    expect(storeFor(cache, norec, msg({ answers: [a(60)] }))).toBe(true);
    expect(hitFor(cache, rd)).toBeUndefined();
    expect(decodeMessage(hitFor(cache, norec)!.bytes)?.answers.map((r) => r.data)).toEqual(["10.0.0.1"]);
  });

  test("put() refuses a reply larger than 4096 bytes", () => {
    const { cache } = setup();
    const many = Array.from({ length: 300 }, (_, i) => a(60, `10.0.${i >> 8}.${i & 0xff}`));
    const big = msg({ answers: many });
    expect(big.length).toBeGreaterThan(4096);
    expect(storeFor(cache, query("a.test", "A"), big)).toBe(false);
    expect(cache.size).toBe(0);
  });

  test("put() keeps the stored bytes within ForwardCacheSize KiB, evicting the least recently used", () => {
    const { cache } = setup(4); // 4 entries, 4096 bytes
    const answers = (n: number) => Array.from({ length: n }, (_, i) => a(60, `10.0.0.${i}`));
    const reply1500 = msg({ answers: answers(66) });
    expect(reply1500.length).toBeGreaterThan(1400);
    expect(reply1500.length).toBeLessThan(1600);
    const names = ["a.test", "b.test", "c.test"];
    for (const n of names) {
      const q = query(n, "A");
      const m = new Uint8Array(reply1500);
      m.set(q.subarray(12, 12 + 8), 12);
      expect(storeFor(cache, q, m)).toBe(true);
    }
    expect(cache.size).toBe(2);
    expect(hitFor(cache, query("a.test", "A"))).toBeUndefined();
    const c = decodeMessage(hitFor(cache, query("c.test", "A"))!.bytes);
    expect([c?.questions[0]?.name, c?.answers.length]).toEqual(["c.test", 66]);
  });

  test("cacheTtl() treats a TTL with the high bit set as 0 (RFC 2181 8)", () => {
    expect(ttlOf(msg({ answers: [a(0x80000000)] }))).toBe(0);
    expect(ttlOf(msg({ answers: [a(300), a(0xfffffff0, "10.0.0.2")] }))).toBe(0);
    expect(ttlOf(msg({ rcode: 3, authorities: [soa(0x90000000, 50)] }))).toBe(0);
  });
});
