/**
 * Forwarding benchmark, run by hand: dnsperf against our forwarder (in a minimal UDP server)
 * and against dnsmasq directly, alternately, twice each, in two scenarios:
 *   (a) cache off, unique names <random>.example.test (no cache anywhere can help);
 *   (b) cache on, a small set of repeated names.
 *
 *   bun scripts/bench/forward.ts [--seconds 10] [--rounds 2]
 *   bun scripts/bench/forward.ts serve --port P --resolver 127.0.0.1:Q --cache N   (the server alone,
 *     e.g. under `bun --cpu-prof scripts/bench/forward.ts serve ...`)
 *
 * Targets (PERFORMANCE.md): cache off >= 0.35 x dnsmasq; cache on >= 0.6 x dnsmasq.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bunPlatform } from "../../src/adapters/bun.ts";
import { defaultConfig } from "../../src/core/config/config.ts";
import { createDnsHandler } from "../../src/core/dns/dns-handler.ts";
import { startDnsServer } from "../../src/core/dns/dns-server.ts";
import { createForwarder } from "../../src/core/forward/forwarder.ts";
import { createDomainAnswerer } from "../../src/core/records/domain-answerer.ts";
import { SnapshotStore } from "../../src/core/records/snapshot.ts";
import { startDnsmasq } from "../../tests/_dnsmasq.ts";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: "string", default: "0" },
    resolver: { type: "string", default: "127.0.0.1:53" },
    cache: { type: "string", default: "10000" },
    seconds: { type: "string", default: "10" },
    rounds: { type: "string", default: "2" },
  },
});

/** Our real DNS server (handler + listeners) with no state loaded: everything is forwarded. */
async function serve(port: number, resolver: string, cacheSize: number) {
  const config = { ...defaultConfig(), Resolvers: [resolver], ForwardCacheSize: cacheSize, Timeout: 2 };
  const forwarder = createForwarder({ platform: bunPlatform, config });
  const handler = createDnsHandler({
    config,
    store: new SnapshotStore(),
    answerer: createDomainAnswerer(config),
    forwarder,
  });
  const server = await startDnsServer({ platform: bunPlatform, address: "127.0.0.1", port, handler });
  console.log(`listening ${server.udp.port}`);
  const stop = () => {
    void Promise.all([server.close(), forwarder.close()]).then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/** Starts our server as a child process (its own CPU, as in production) and waits for its port. */
function startOurs(resolverPort: number, cacheSize: number): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [import.meta.path, "serve", "--resolver", `127.0.0.1:${resolverPort}`, "--cache", String(cacheSize)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      const m = /listening (\d+)/.exec(chunk.toString());
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on("exit", (code) => reject(new Error(`server exited (${code})`)));
  });
}

interface PerfResult {
  qps: number;
  lost: string;
  avgMs: number;
  maxMs: number;
}

function dnsperf(port: number, file: string, seconds: number): Promise<PerfResult> {
  const args = [
    "-s",
    "127.0.0.1",
    "-p",
    String(port),
    "-d",
    file,
    "-c",
    "10",
    "-q",
    "100",
    "-T",
    "1",
    "-l",
    String(seconds),
  ];
  const child = spawn("dnsperf", args, { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  return new Promise((resolve) => {
    child.on("exit", () => {
      const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? Number.NaN);
      resolve({
        qps: num(/Queries per second:\s+([\d.]+)/),
        lost: /Queries lost:\s+(\S+ \([^)]*\))/.exec(out)?.[1] ?? "?",
        avgMs: num(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
        maxMs: num(/max ([\d.]+)\)/) * 1000,
      });
    });
  });
}

const fmt = (r: PerfResult) =>
  `${r.qps.toFixed(0).padStart(7)} q/s  lost ${r.lost.padEnd(16)} avg ${r.avgMs.toFixed(2)} ms  max ${r.maxMs.toFixed(1)} ms`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function bench() {
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const dir = mkdtempSync(join(tmpdir(), "fwd-bench-"));
  const unique = join(dir, "unique.txt");
  const repeated = join(dir, "repeated.txt");
  const lines: string[] = [];
  for (let i = 0; i < 1_500_000; i++)
    lines.push(`u${i}-${Math.random().toString(36).slice(2, 8)}.example.test A`);
  writeFileSync(unique, `${lines.join("\n")}\n`);
  writeFileSync(repeated, `${Array.from({ length: 100 }, (_, i) => `r${i}.example.test A`).join("\n")}\n`);

  // Answers from configuration carry TTL 0 by default, which no cache keeps.
  const dnsmasq = await startDnsmasq(["--local-ttl=300"]);
  const dnsmasqPort = dnsmasq.port;
  const children: ChildProcess[] = [];
  try {
    for (const [label, file, cache, target] of [
      ["(a) cache off, unique names", unique, 0, 0.35],
      ["(b) cache on, 100 repeated names", repeated, 10000, 0.6],
    ] as const) {
      const ours = await startOurs(dnsmasqPort, cache);
      children.push(ours.child);
      console.log(`\n${label}`);
      // Warm up both (JIT, caches) before measuring.
      await dnsperf(ours.port, file, 2);
      await dnsperf(dnsmasqPort, file, 2);
      const oursQps: number[] = [];
      const theirsQps: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const o = await dnsperf(ours.port, file, seconds);
        console.log(`  ours     ${fmt(o)}`);
        const d = await dnsperf(dnsmasqPort, file, seconds);
        console.log(`  dnsmasq  ${fmt(d)}`);
        oursQps.push(o.qps);
        theirsQps.push(d.qps);
      }
      const ratio = median(oursQps) / median(theirsQps);
      console.log(
        `  median ratio ours/dnsmasq: ${ratio.toFixed(2)} (target >= ${target}) ${ratio >= target ? "OK" : "MISSED"}`,
      );
      ours.child.kill("SIGTERM");
    }
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
    await dnsmasq.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (positionals[0] === "serve") {
  const [host, port] = [values.resolver.replace(/:\d+$/, ""), values.resolver.replace(/^.*:/, "")];
  await serve(Number(values.port), `${host}:${port}`, Number(values.cache));
} else {
  await bench();
}
