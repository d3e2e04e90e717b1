import { describe, expect, test } from "bun:test";
import { memoryPlatform } from "../../../src/adapters/memory.ts";
import { defaultConfig } from "../../../src/core/config/config.ts";
import { decodeMessage, encodeMessage } from "../../../src/core/dns/codec.ts";
import { createDnsHandler, type DnsHandler } from "../../../src/core/dns/dns-handler.ts";
import { startDnsServer } from "../../../src/core/dns/dns-server.ts";
import { FrameReader, frameMessage } from "../../../src/core/dns/tcp-framing.ts";
import type { Forwarder } from "../../../src/core/forward/forwarder.ts";
import type { SocketAddress, UdpSocket } from "../../../src/core/platform.ts";
import { createDomainAnswerer } from "../../../src/core/records/domain-answerer.ts";
import { RecordSetBuilder } from "../../../src/core/records/record-set.ts";
import { SnapshotStore } from "../../../src/core/records/snapshot.ts";
import { queryBytes } from "../../_dns-client.ts";

function setup(options: { loaded?: boolean; forwarder?: Forwarder } = {}) {
  const config = defaultConfig();
  const store = new SnapshotStore();
  if (options.loaded !== false) {
    const b = new RecordSetBuilder();
    b.insert("A", "leader.mesos.", "10.0.0.1");
    store.publish({
      records: b.build({ frameworks: [] }, []),
      serial: 7,
      loadedAtMs: 0,
      leader: "",
      masters: [],
    });
  }
  const seen = { forwarded: 0, errors: 0, dropped: [] as string[] };
  const forwarder: Forwarder = options.forwarder ?? {
    async forward(query) {
      seen.forwarded++;
      const reply = query.slice();
      reply[2]! |= 0x80;
      return reply;
    },
    async close() {},
  };
  const handler = createDnsHandler({
    config,
    store,
    answerer: createDomainAnswerer(config),
    forwarder,
    observer: { internalError: () => seen.errors++, dropped: (r) => seen.dropped.push(r) },
  });
  return { handler, seen };
}

function rcodeOf(reply: Uint8Array | undefined): number {
  return reply ? reply[3]! & 0xf : -1;
}

async function reply(handler: DnsHandler, bytes: Uint8Array) {
  return await handler(bytes, "udp");
}

describe("createDnsHandler()", () => {
  test("drops packets shorter than a header and responses", async () => {
    const { handler, seen } = setup();
    expect(await reply(handler, Uint8Array.of(1, 2, 3))).toBeUndefined();
    const response = queryBytes("leader.mesos", "A");
    response[2]! |= 0x80;
    expect(await reply(handler, response)).toBeUndefined();
    expect(seen.dropped).toEqual(["short", "response"]);
  });

  test("answers FORMERR with a bare header for garbage, several questions or TC set", async () => {
    const { handler } = setup();
    const garbage = Uint8Array.of(0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 70, 1, 2);
    const out = await reply(handler, garbage);
    expect(out?.length).toBe(12);
    expect([out?.[0], out?.[1], rcodeOf(out)]).toEqual([0x12, 0x34, 1]);
    const two = encodeMessage({
      type: "query",
      id: 1,
      questions: [
        { type: "A", name: "a.mesos" },
        { type: "A", name: "b.mesos" },
      ],
    });
    expect(rcodeOf(await reply(handler, two))).toBe(1);
    const tc = queryBytes("leader.mesos", "A");
    tc[2]! |= 0x02;
    expect(rcodeOf(await reply(handler, tc))).toBe(1);
  });

  test("answers NOTIMP for opcodes other than QUERY", async () => {
    const { handler } = setup();
    const notify = queryBytes("leader.mesos", "SOA");
    notify[2] = (notify[2]! & 0x87) | (4 << 3);
    expect(rcodeOf(await reply(handler, notify))).toBe(4);
  });

  test("answers SERVFAIL inside the domain until a state is loaded, but forwards outside names", async () => {
    const { handler, seen } = setup({ loaded: false });
    expect(rcodeOf(await reply(handler, queryBytes("leader.mesos", "A")))).toBe(2);
    await reply(handler, queryBytes("example.org", "A"));
    expect(seen.forwarded).toBe(1);
  });

  test("answers DS for names inside the domain locally instead of forwarding", async () => {
    const { handler, seen } = setup();
    const out = decodeMessage((await reply(handler, queryBytes("leader.mesos", "DS")))!);
    expect(seen.forwarded).toBe(0);
    expect(out?.rcode).toBe("NOERROR");
    expect(out?.authorities[0]?.type).toBe("SOA");
  });

  test("contains a failure of the forwarder: SERVFAIL, counted", async () => {
    const { handler, seen } = setup({
      forwarder: {
        forward: () => Promise.reject(new Error("boom")),
        close: async () => {},
      },
    });
    expect(rcodeOf(await reply(handler, queryBytes("example.org", "A")))).toBe(2);
    expect(seen.errors).toBe(1);
  });

  test("survives 20,000 random and mutated packets and still answers correctly", async () => {
    const { handler } = setup();
    const valid = queryBytes("leader.mesos", "A");
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let i = 0; i < 20000; i++) {
      let packet: Uint8Array;
      if (i % 2 === 0) {
        packet = new Uint8Array(Math.floor(rand() * 80));
        for (let j = 0; j < packet.length; j++) packet[j] = Math.floor(rand() * 256);
      } else {
        packet = valid.slice();
        for (let k = 0; k < 3; k++) packet[Math.floor(rand() * packet.length)] = Math.floor(rand() * 256);
      }
      await reply(handler, packet);
    }
    const out = decodeMessage((await reply(handler, valid))!);
    expect(out?.answers.map((a) => a.data)).toEqual(["10.0.0.1"]);
  });
});

describe("startDnsServer()", () => {
  test("serves UDP and TCP, several queries per TCP connection, on the memory platform", async () => {
    const platform = memoryPlatform();
    const { handler } = setup();
    const server = await startDnsServer({ platform, address: "127.0.0.1", port: 53, handler });
    const replies: Uint8Array[] = [];
    const client: UdpSocket = await platform.bindUdp({
      address: "127.0.0.1",
      port: 0,
      onMessage: (data: Uint8Array, _from: SocketAddress) => void replies.push(data.slice()),
    });
    client.send(queryBytes("leader.mesos", "A", { id: 9 }), server.udp);
    const reader = new FrameReader();
    const tcpReplies: Uint8Array[] = [];
    const conn = await platform.connectTcp({
      address: "127.0.0.1",
      port: server.tcp.port,
      timeoutMs: 1000,
      handlers: { onData: (c) => void tcpReplies.push(...reader.push(c)), onClose: () => {} },
    });
    conn.write(frameMessage(queryBytes("leader.mesos", "A", { id: 1 })));
    conn.write(frameMessage(queryBytes("missing.mesos", "A", { id: 2 })));
    for (let i = 0; i < 50 && (replies.length < 1 || tcpReplies.length < 2); i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(decodeMessage(replies[0]!)?.id).toBe(9);
    expect(tcpReplies.map((r) => decodeMessage(r)?.rcode).sort()).toEqual(["NOERROR", "NXDOMAIN"]);
    conn.close();
    client.close();
    await server.close();
  });
});

describe("startDnsServer() TCP sessions", () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function session(options: Partial<Parameters<typeof startDnsServer>[0]>, delayMs: number) {
    const platform = memoryPlatform();
    const slow: DnsHandler = (message) =>
      new Promise((resolve) => setTimeout(() => resolve(decodeToReply(message)), delayMs));
    const server = await startDnsServer({
      platform,
      address: "127.0.0.1",
      port: 53,
      handler: slow,
      ...options,
    });
    const replies: Uint8Array[] = [];
    let closed = false;
    const reader = new FrameReader();
    const open = () =>
      platform.connectTcp({
        address: "127.0.0.1",
        port: server.tcp.port,
        timeoutMs: 1000,
        handlers: {
          onData: (c) => void replies.push(...reader.push(c)),
          onClose: () => {
            closed = true;
          },
        },
      });
    return { server, replies, open, isClosed: () => closed, platform };
  }

  function decodeToReply(message: Uint8Array): Uint8Array {
    const out = message.slice();
    out[2]! |= 0x80;
    return out;
  }

  test("keeps a connection open while a slow reply is owed, past the idle time", async () => {
    const s = await session({ tcpIdleMs: 20, tcpFirstQueryMs: 20 }, 80);
    const conn = await s.open();
    conn.write(frameMessage(queryBytes("example.org", "A", { id: 7 })));
    await sleep(150);
    expect(s.replies.map((r) => decodeMessage(r)?.id)).toEqual([7]);
    await sleep(60);
    expect(s.isClosed()).toBe(true);
    await s.server.close();
  });

  test("answers every query up to the limit, then closes", async () => {
    const s = await session({ tcpMaxQueries: 3 }, 10);
    const conn = await s.open();
    for (let id = 1; id <= 5; id++) conn.write(frameMessage(queryBytes("example.org", "A", { id })));
    await sleep(80);
    expect(s.replies.map((r) => decodeMessage(r)?.id).sort()).toEqual([1, 2, 3]);
    expect(s.isClosed()).toBe(true);
    await s.server.close();
  });

  test("closes a connection that sends nothing within the first-query time", async () => {
    const s = await session({ tcpFirstQueryMs: 20 }, 0);
    await s.open();
    await sleep(60);
    expect(s.isClosed()).toBe(true);
    await s.server.close();
  });

  test("closes connections past the connection cap at once", async () => {
    const s = await session({ tcpMaxConnections: 1 }, 0);
    await s.open();
    expect(s.isClosed()).toBe(false);
    let secondClosed = false;
    await s.platform.connectTcp({
      address: "127.0.0.1",
      port: s.server.tcp.port,
      timeoutMs: 1000,
      handlers: {
        onData: () => {},
        onClose: () => {
          secondClosed = true;
        },
      },
    });
    await sleep(20);
    expect(secondClosed).toBe(true);
    expect(s.isClosed()).toBe(false);
    await s.server.close();
  });
});

describe("createDnsHandler() EDNS checks", () => {
  test("answers FORMERR for two OPT records or an OPT not owned by the root (RFC 6891 6.1.1)", async () => {
    const { handler } = setup();
    const base = queryBytes("leader.mesos", "A", { edns: 1232 });
    const opt = base.slice(base.length - 11);
    const two = new Uint8Array([...base, ...opt]);
    two[11] = 2; // ARCOUNT
    expect(rcodeOf(await reply(handler, two))).toBe(1);
    const named = new Uint8Array([...base.slice(0, base.length - 11), 1, 0x61, 0, ...opt.slice(1)]);
    expect(rcodeOf(await reply(handler, named))).toBe(1);
    expect(rcodeOf(await reply(handler, base))).toBe(0);
  });
});
