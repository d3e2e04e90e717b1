/**
 * In-domain DNS throughput, by hand: `npx bun scripts/bench/dns.ts [--runtimes bun,deno,node] [--seconds 10]`.
 *
 * Serves the bundled example state with our server (under each runtime) and, in the same
 * run, with Debian's NSD from the zone file our `records --format zone` produces
 * (server-count 1, rate limiting off). dnsperf (10 clients, 100 outstanding, 1 thread)
 * asks every existing name as A, AAAA and SRV, alternating NSD and ours, twice each.
 * Prints queries/s, lost queries, latency, and each runtime's median as a ratio to NSD's.
 *
 * @module
 */

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type Subprocess, spawn, spawnSync } from "bun";
import { waitForDns } from "../../tests/_dns-client.ts";
import { DENO_FLAGS } from "../../tests/_server-process.ts";
import { buildNodeBundle } from "../build-node.ts";
import { startFakeMaster } from "../fake-master.ts";

const ROOT = join(import.meta.dir, "..", "..");
const BIN = join(ROOT, "node_modules", ".bin");
const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    runtimes: { type: "string", default: "bun,deno,node" },
    seconds: { type: "string", default: "10" },
    runs: { type: "string", default: "2" },
  },
});
const seconds = Number(values.seconds);
const runs = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), "bench-dns-"));
// Whatever happens, no server outlives the bench (a leftover would hold the ports).
const spawned: Subprocess[] = [];
process.on("exit", () => {
  for (const child of spawned) child.kill();
});

interface PerfResult {
  qps: number;
  lost: number;
  avgMs: number;
  maxMs: number;
}

// On two cores, the server and dnsperf each get one core of their own (NSD and ours alike),
// so that scheduling noise does not decide the ratio.
const pin = (core: number, cmd: string[]) => ["taskset", "-c", String(core), ...cmd];

function dnsperf(port: number, queries: string): PerfResult {
  const args = ["-s", "127.0.0.1", "-p", String(port), "-d", queries, "-c", "10", "-q", "100", "-T", "1"];
  const out = spawnSync(pin(0, ["dnsperf", ...args, "-l", String(seconds)]));
  const text = out.stdout.toString();
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? Number.NaN);
  return {
    qps: num(/Queries per second:\s+([\d.]+)/),
    lost: num(/Queries lost:\s+(\d+)/),
    avgMs: num(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
    maxMs: num(/Average Latency \(s\):.*max ([\d.]+)/) * 1000,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

// 1. Records and queries from our own generator.
const master = await startFakeMaster({
  state: JSON.parse(readFileSync(join(ROOT, "tests/fixtures/fake-state.json"), "utf8")),
  port: 0,
});
const configPath = join(dir, "config.json");
const ourPort = 18600;
writeFileSync(
  configPath,
  JSON.stringify({
    masters: [master.hostPort],
    port: ourPort,
    listener: "127.0.0.1",
    httpon: false,
    externalon: false,
  }),
);
const zone = spawnSync([
  join(BIN, "bun"),
  "run",
  join(ROOT, "mod.ts"),
  "records",
  "--state",
  join(ROOT, "tests/fixtures/fake-state.json"),
  `-config=${configPath}`,
]).stdout.toString();
writeFileSync(join(dir, "mesos.zone"), zone);
const names = new Set<string>();
for (const line of zone.split("\n")) {
  const [name, , type] = line.split("\t");
  if (name && (type === "A" || type === "AAAA" || type === "SRV")) names.add(name);
}
const queryLines: string[] = [];
for (const name of names) for (const t of ["A", "AAAA", "SRV"]) queryLines.push(`${name} ${t}`);
const queries = join(dir, "queries.txt");
writeFileSync(queries, `${queryLines.join("\n")}\n`);
console.log(`${names.size} names, ${queryLines.length} queries per pass, ${seconds} s per run`);

// 2. NSD on the same zone.
const nsdPort = 18601;
writeFileSync(
  join(dir, "nsd.conf"),
  `server:\n  ip-address: 127.0.0.1@${nsdPort}\n  server-count: 1\n  username: ""\n  zonesdir: "${dir}"\n  pidfile: "${dir}/nsd.pid"\n  database: ""\n  xfrdfile: "${dir}/xfrd.state"\n  zonelistfile: "${dir}/zone.list"\n  logfile: "${dir}/nsd.log"\n  rrl-ratelimit: 0\nremote-control:\n  control-enable: no\nzone:\n  name: mesos\n  zonefile: mesos.zone\n`,
);
const nsd = spawn(pin(1, ["nsd", "-d", "-c", join(dir, "nsd.conf")]), { stdout: "ignore", stderr: "ignore" });
spawned.push(nsd);
await waitForDns("127.0.0.1", nsdPort, "leader.mesos", 10000);

// 3. Ours, per runtime.
const nodeBundle = values.runtimes.includes("node") ? await buildNodeBundle(join(dir, "node")) : "";
function startOurs(runtime: string): Subprocess {
  const args = [`-config=${configPath}`];
  const cmd =
    runtime === "bun"
      ? [join(BIN, "bun"), "run", join(ROOT, "mod.ts"), ...args]
      : runtime === "deno"
        ? [join(BIN, "deno"), "run", ...DENO_FLAGS, join(ROOT, "mod.ts"), ...args]
        : ["node", nodeBundle, ...args];
  const child = spawn(pin(1, cmd), { stdout: "ignore", stderr: "ignore" });
  spawned.push(child);
  return child;
}

const rows: string[] = [];
const ratios: string[] = [];
for (const runtime of values.runtimes.split(",")) {
  const ours = startOurs(runtime);
  await waitForDns("127.0.0.1", ourPort, "leader.mesos", 20000);
  const nsdRuns: PerfResult[] = [];
  const ourRuns: PerfResult[] = [];
  for (let i = 0; i < runs; i++) {
    nsdRuns.push(dnsperf(nsdPort, queries));
    ourRuns.push(dnsperf(ourPort, queries));
  }
  ours.kill();
  await ours.exited;
  for (const [who, runs] of [
    ["nsd", nsdRuns],
    [runtime, ourRuns],
  ] as const) {
    for (const r of runs) {
      rows.push(
        `${who.padEnd(6)} ${r.qps.toFixed(0).padStart(8)} q/s  lost ${r.lost}  avg ${r.avgMs.toFixed(2)} ms  max ${r.maxMs.toFixed(2)} ms`,
      );
    }
  }
  const ratio = median(ourRuns.map((r) => r.qps)) / median(nsdRuns.map((r) => r.qps));
  ratios.push(
    `${runtime}: ${median(ourRuns.map((r) => r.qps)).toFixed(0)} q/s vs NSD ${median(nsdRuns.map((r) => r.qps)).toFixed(0)} q/s = ${ratio.toFixed(2)} x NSD`,
  );
}
nsd.kill();
await master.stop();
console.log(rows.join("\n"));
console.log(ratios.join("\n"));
