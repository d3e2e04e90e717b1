/**
 * Start-up and memory benchmark, run by hand, for the four ways of running Mesos-DNS:
 *
 * ```sh
 * npx bun scripts/bench/startup.ts [--runs 10] [--idle 5] [--load 10] [--only binary,node]
 * ```
 *
 * For each: `-version` time (runtime boot plus module loading), cold start to the first
 * successful `leader.mesos` answer for tests/fixtures/fake-state.json (spawn -> listeners ->
 * leader -> state fetch -> records; median of `--runs`), resident memory after `--idle`
 * seconds, and peak resident memory and query rate during `--load` seconds of dnsperf (or a
 * simple query loop without it). Linux only (RSS from /proc).
 *
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freePort, queryBytes, udpExchange } from "../../tests/_dns-client.ts";
import { conformanceConfig, type Runtime, serverCommand, startServer } from "../../tests/_server-process.ts";
import { compileExecutable } from "../build.ts";
import { buildNodeBundle } from "../build-node.ts";
import { startFakeMaster } from "../fake-master.ts";

const root = join(import.meta.dir, "..", "..");
const HOST = "127.0.0.1";
/** Names the fixture answers, for the load phase. */
const LOAD_QUERIES: [string, string][] = [
  ["leader.mesos", "A"],
  ["toy-store.ipv6-framework.mesos", "A"],
  ["toy-store.ipv6-framework.mesos", "AAAA"],
  ["_toy-store._tcp.ipv6-framework.mesos", "SRV"],
  ["liquor-store.marathon.mesos", "A"],
  ["_liquor-store._tcp.marathon.mesos", "SRV"],
  ["nginx.marathon.mesos", "A"],
  ["slave.mesos", "A"],
  ["missing.marathon.mesos", "A"],
  ["_leader._tcp.mesos", "SRV"],
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** A field of /proc/<pid>/status in MiB: VmRSS (all), RssAnon (heap, private) or RssFile (mapped files). */
function statusMiB(pid: number, field: "VmRSS" | "RssAnon" | "RssFile"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

const rssMiB = (pid: number) => statusMiB(pid, "VmRSS");

/** Sends `leader.mesos A` every 2 ms from one socket; resolves at the first answer with records. */
function firstAnswer(port: number, timeoutMs: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = createSocket("udp4");
    const finish = (error?: Error) => {
      clearInterval(ticker);
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(performance.now() - started);
    };
    socket.on("message", (msg) => {
      // NOERROR (rcode 0) with at least one answer.
      if ((msg[3]! & 0xf) === 0 && ((msg[6]! << 8) | msg[7]!) > 0) finish();
    });
    socket.on("error", () => {});
    const query = queryBytes("leader.mesos", "A", { id: 4242 });
    const ticker = setInterval(() => socket.send(query, port, HOST), 2);
    const timer = setTimeout(
      () => finish(new Error(`no answer on ${HOST}:${port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
}

/** Milliseconds `cmd -version` takes, median of `runs`. */
function versionMs(cmd: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const out = spawnSync(cmd[0]!, [...cmd.slice(1), "-version"], { encoding: "utf8" });
    if (out.status !== 0) throw new Error(`${cmd.join(" ")} -version: exit ${out.status}\n${out.stderr}`);
    times.push(performance.now() - started);
  }
  return median(times);
}

/** Load for `seconds`: dnsperf when installed, else a closed loop of UDP queries. Returns queries/s. */
async function load(port: number, seconds: number, dir: string): Promise<{ qps: number; tool: string }> {
  const dnsperf = ["/usr/bin/dnsperf", "/usr/local/bin/dnsperf"].find((p) => existsSync(p));
  if (dnsperf) {
    const file = join(dir, "queries.txt");
    writeFileSync(file, LOAD_QUERIES.map(([n, t]) => `${n} ${t}`).join("\n"));
    const args = ["-s", HOST, "-p", String(port), "-d", file, "-l", String(seconds), "-c", "4"];
    const child = spawn(dnsperf, args);
    let out = "";
    child.stdout.on("data", (d) => {
      out += String(d);
    });
    await new Promise((resolve) => child.once("exit", resolve));
    return { qps: Number(/Queries per second:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN), tool: "dnsperf" };
  }
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  const worker = async () => {
    for (let i = 0; performance.now() < deadline; i++) {
      const [name, type] = LOAD_QUERIES[i % LOAD_QUERIES.length]!;
      if (await udpExchange(HOST, port, queryBytes(name, type), 1000)) count++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { qps: count / seconds, tool: "query loop" };
}

interface Row {
  runtime: Runtime;
  versionMs: number;
  startMs: number;
  startMin: number;
  idleMiB: number;
  idleAnonMiB: number;
  loadedMiB: number;
  qps: number;
  tool: string;
}

async function measure(
  runtime: Runtime,
  paths: { binary: string; nodeBundle: string },
  options: Options,
): Promise<Row> {
  const state = JSON.parse(readFileSync(join(root, "tests", "fixtures", "fake-state.json"), "utf8"));
  const master = await startFakeMaster({ state });
  const dir = mkdtempSync(join(tmpdir(), "mesos-dns-bench-"));
  try {
    const starts: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      const dns = await freePort();
      const config = conformanceConfig({
        dns,
        http: await freePort(),
        resolver: await freePort(),
        master: master.hostPort,
      });
      const server = startServer(runtime, { ...config, refreshSeconds: 60 }, paths);
      try {
        starts.push(await firstAnswer(dns, 30_000));
      } catch (error) {
        throw new Error(`${runtime}: ${(error as Error).message}\n${server.output()}`);
      } finally {
        await server.stop();
      }
    }
    const dns = await freePort();
    const config = conformanceConfig({
      dns,
      http: await freePort(),
      resolver: await freePort(),
      master: master.hostPort,
    });
    const server = startServer(runtime, { ...config, refreshSeconds: 60 }, paths);
    try {
      await firstAnswer(dns, 30_000);
      const pid = server.child.pid ?? 0;
      await sleep(options.idle * 1000);
      const idleMiB = rssMiB(pid);
      const idleAnonMiB = statusMiB(pid, "RssAnon");
      let loadedMiB = idleMiB;
      const sampler = setInterval(() => {
        loadedMiB = Math.max(loadedMiB, rssMiB(pid));
      }, 250);
      const { qps, tool } = await load(dns, options.load, dir);
      clearInterval(sampler);
      loadedMiB = Math.max(loadedMiB, rssMiB(pid));
      const versionCmd = serverCommand(runtime, [], paths.nodeBundle, paths.binary);
      return {
        runtime,
        versionMs: versionMs(versionCmd, Math.min(options.runs, 5)),
        startMs: median(starts),
        startMin: Math.min(...starts),
        idleMiB,
        idleAnonMiB,
        loadedMiB,
        qps,
        tool,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await master.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Options {
  runs: number;
  idle: number;
  load: number;
  only: Runtime[];
}

function table(rows: Row[]): string {
  const head = [
    "runtime",
    "-version ms",
    "start ms (median)",
    "start ms (min)",
    "idle RSS MiB",
    "of it anon MiB",
    "loaded RSS MiB",
    "queries/s",
  ];
  const lines = rows.map((r) => [
    r.runtime,
    r.versionMs.toFixed(0),
    r.startMs.toFixed(0),
    r.startMin.toFixed(0),
    r.idleMiB.toFixed(1),
    r.idleAnonMiB.toFixed(1),
    r.loadedMiB.toFixed(1),
    `${r.qps.toFixed(0)} (${r.tool})`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [fmt(head), fmt(widths.map((w) => "-".repeat(w))), ...lines.map(fmt)].join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      runs: { type: "string", default: "10" },
      idle: { type: "string", default: "5" },
      load: { type: "string", default: "10" },
      only: { type: "string", default: "binary,bun,deno,node" },
    },
  });
  const options: Options = {
    runs: Number(values.runs),
    idle: Number(values.idle),
    load: Number(values.load),
    only: values.only.split(",") as Runtime[],
  };
  const dir = mkdtempSync(join(tmpdir(), "mesos-dns-bench-build-"));
  const version = "0.0.0-bench";
  const paths = {
    binary: await compileExecutable({ outfile: join(dir, "mesos-dns"), version }),
    nodeBundle: await buildNodeBundle(dir, version),
  };
  const rows: Row[] = [];
  for (const runtime of options.only) {
    console.error(`measuring ${runtime}...`);
    rows.push(await measure(runtime, paths, options));
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(table(rows));
  console.log(
    `\nstart = spawn to the first NOERROR answer for leader.mesos (median of ${options.runs}); idle RSS after ${options.idle} s (anon = heap and other private memory; the rest is mapped executable and libraries: shared, clean); loaded = peak RSS during ${options.load} s of load.`,
  );
}
