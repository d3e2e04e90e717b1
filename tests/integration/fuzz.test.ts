/**
 * Bad input never takes the server down: 100,000 random and mutated packets over UDP and
 * TCP against a running server (Bun), which keeps answering a valid query correctly after
 * every batch, and whose resident memory stays flat.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { type FakeMaster, startFakeMaster } from "../../scripts/fake-master.ts";
import { decodeMessage } from "../../src/core/dns/codec.ts";
import { frameMessage } from "../../src/core/dns/tcp-framing.ts";
import { freePort, queryBytes, tcpExchange, udpExchange, waitForDns } from "../_dns-client.ts";
import { ROOT, type ServerProcess, startServer } from "../_server-process.ts";

const TOTAL = 100_000;
const BATCH = 2_000;

let master: FakeMaster;
let server: ServerProcess;
let port: number;
let httpPort: number;

/** A deterministic generator, so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const rand = prng(20261126);
const templates = [
  queryBytes("leader.mesos", "A"),
  queryBytes("_leader._tcp.mesos", "SRV", { edns: 1232 }),
  queryBytes("nginx.marathon.mesos", "AAAA"),
  queryBytes("mesos", "ANY"),
  queryBytes("outside.example", "A"),
];

function randomPacket(): Uint8Array {
  const kind = rand();
  if (kind < 0.4) {
    const out = new Uint8Array(Math.floor(rand() * 600));
    for (let i = 0; i < out.length; i++) out[i] = Math.floor(rand() * 256);
    return out;
  }
  const template = templates[Math.floor(rand() * templates.length)]!;
  const out = new Uint8Array(template);
  const flips = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < flips; i++) out[Math.floor(rand() * out.length)] = Math.floor(rand() * 256);
  if (rand() < 0.2) return out.subarray(0, Math.floor(rand() * out.length));
  return out;
}

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

async function assertStillAnswers(): Promise<void> {
  const reply = await udpExchange("127.0.0.1", port, queryBytes("leader.mesos", "A", { id: 4242 }), 2000);
  const decoded = reply ? decodeMessage(reply) : undefined;
  expect(decoded?.id).toBe(4242);
  expect(decoded?.answers.map((a) => a.data)).toEqual(["127.0.0.1"]);
  const [tcpReply] = await tcpExchange("127.0.0.1", port, [queryBytes("leader.mesos", "A", { id: 4343 })]);
  expect(tcpReply ? decodeMessage(tcpReply)?.answers.map((a) => a.data) : undefined).toEqual(["127.0.0.1"]);
}

/** Sends `packets` over one TCP connection, some framed and some as raw bytes. */
function tcpBlast(packets: Uint8Array[]): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.on("connect", () => {
      for (const p of packets) socket.write(rand() < 0.8 ? frameMessage(p) : p);
      setTimeout(done, 20);
    });
    socket.on("data", () => {});
    socket.on("error", done);
  });
}

beforeAll(async () => {
  const state = JSON.parse(readFileSync(join(ROOT, "tests", "fixtures", "fake-state.json"), "utf8"));
  master = await startFakeMaster({ state, port: 0 });
  port = await freePort();
  httpPort = await freePort();
  server = startServer("bun", {
    masters: [master.hostPort],
    port,
    listener: "127.0.0.1",
    httplistener: "127.0.0.1",
    httpport: httpPort,
    externalon: false,
  });
  await waitForDns("127.0.0.1", port, "leader.mesos", 20_000);
});

afterAll(async () => {
  await server?.stop();
  await master?.stop();
});

describe("fuzzing a running server", () => {
  test(`${TOTAL} random and mutated packets over UDP and TCP: valid queries keep their answers, memory stays flat`, async () => {
    const { createSocket } = await import("node:dgram");
    const udp = createSocket("udp4");
    udp.on("message", () => {});
    let sent = 0;
    let baseline = 0;
    while (sent < TOTAL) {
      const udpCount = Math.floor(BATCH * 0.8);
      for (let i = 0; i < udpCount; i++) {
        udp.send(randomPacket(), port, "127.0.0.1");
        // Paced, so that the kernel's socket buffer does not drop most of them unseen.
        if (i % 100 === 99) await new Promise((r) => setTimeout(r, 1));
      }
      const tcpPackets: Uint8Array[] = [];
      for (let i = 0; i < BATCH - udpCount; i++) tcpPackets.push(randomPacket());
      await tcpBlast(tcpPackets);
      sent += BATCH;
      await assertStillAnswers();
      if (sent === 10 * BATCH) baseline = rssKb(server.child.pid!);
    }
    udp.close();
    const end = rssKb(server.child.pid!);
    // The server saw most of them: answered (any rcode) or dropped as not-a-query.
    const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
    let seen = 0;
    for (const line of metrics.split("\n")) {
      if (/^mesos_dns_(queries_total|dropped_packets_total)\{/.test(line))
        seen += Number(line.split(" ").at(-1));
    }
    console.log(`server counted ${seen} of ${TOTAL + (2 * TOTAL) / BATCH} packets`);
    expect(seen).toBeGreaterThan(TOTAL * 0.6);
    // Flat: after warm-up, 80,000 more bad packets may not grow the process by more than 32 MB.
    console.log(
      `server RSS after warm-up ${Math.round(baseline / 1024)} MB, at the end ${Math.round(end / 1024)} MB`,
    );
    expect(end - baseline).toBeLessThan(32 * 1024);
    expect(server.child.exitCode).toBeNull();
  }, 180_000);
});
