/**
 * How fresh the records are when they follow the master's event stream, run by hand:
 *
 * ```sh
 * npx bun scripts/bench/freshness.ts [--tasks 10000] [--changes 200] [--runs 1]
 *   [--agents 100] [--apps 500] [--events 5000] [--burst 100] [--pause 20] [--settle 5]
 * ```
 *
 * The fake master (in this process, `inPlace` so a change costs no copy of the document)
 * serves a synthetic cluster of `--tasks` running tasks (scripts/bench/generate.ts) on
 * `--agents` agents and `--apps` apps; our server runs as its own process (`bun run mod.ts`,
 * refreshSeconds 60, EventStreamOn true) and is measured once `/ready` says `"source":"events"`:
 *
 * 1. Freshness: `--changes` times, a new task is launched as TASK_RUNNING (with a RUNNING
 *    status carrying a container IP) under a fresh name, and its name asked over UDP in a
 *    closed loop (each query a fresh ID, the next one as soon as a reply comes) until it
 *    answers NOERROR with that IP: launch latency, from just before `launchTask`. Then it is
 *    killed (`TASK_KILLED`) and asked until NXDOMAIN: kill latency. `--pause` ms between steps.
 * 2. CPU per event: the server's CPU time (utime + stime of /proc/<pid>/stat; the threads'
 *    schedstat nanoseconds as a check) over `--events` events sent in bursts of `--burst` every 100 ms (half TASK_ADDED,
 *    half TASK_UPDATED: kills of the previous burst's tasks, status updates in the first),
 *    until the last one is answered, minus the idle CPU of an equal period just before, per event.
 * 3. RSS: VmRSS once settled (at least `--settle` s after ready, then until it moves less than
 *    2% over 2 s, 30 s at most), with EventStreamOn true and then false (same cluster).
 *
 * `--cpu-prof DIR` runs the EventStreamOn true server under `bun --cpu-prof --cpu-prof-md`
 * (profiles in DIR when it exits).
 *
 * Phases are kept clear of the server's polls (they wait for one when it is due); polls that
 * still fall in a phase are counted in the table.
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { StateStatus, StateTask } from "../fake-master.ts";
import { startFakeMaster } from "../fake-master.ts";
import {
  cpuBetween,
  cpuSample,
  loadAverage,
  median,
  Prober,
  percentile,
  printTable,
  rssMiB,
  settledRss,
  sleep,
  spread,
} from "./_freshness-probe.ts";
import { counter, type Ours, PollWatch, startOurs, waitReady } from "./_freshness-server.ts";
import { syntheticState } from "./generate.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    tasks: { type: "string", default: "10000" },
    changes: { type: "string", default: "200" },
    runs: { type: "string", default: "1" },
    agents: { type: "string", default: "100" },
    apps: { type: "string", default: "500" },
    events: { type: "string", default: "5000" },
    burst: { type: "string", default: "100" },
    pause: { type: "string", default: "20" },
    settle: { type: "string", default: "5" },
    "cpu-prof": { type: "string" },
  },
});
const TASKS = Number(values.tasks);
const CHANGES = Number(values.changes);
const RUNS = Number(values.runs);
const AGENTS = Number(values.agents);
const APPS = Number(values.apps);
const BURST = Number(values.burst);
const BURSTS = Math.ceil(Number(values.events) / BURST);
const EVENTS = BURSTS * BURST;
const PAUSE_MS = Number(values.pause);
const SETTLE_MS = Number(values.settle) * 1000;
const REFRESH_SECONDS = 60;
const BURST_PERIOD_MS = 100;
const FRAMEWORK = "fw-0";
const DOMAIN = "marathon.mesos";

console.error(`building a cluster of ${TASKS} tasks on ${AGENTS} agents, ${APPS} apps...`);
const stateText = syntheticState(TASKS, { agents: AGENTS, instancesPerApp: Math.ceil(TASKS / APPS) });
const master = await startFakeMaster({ state: JSON.parse(stateText), inPlace: true });
const watch = new PollWatch(master);
const agentIds = (JSON.parse(stateText).slaves as { id: string }[]).map((a) => a.id);

/** Tasks made by this bench get IPs 10.200.0.0 upwards, one each. */
let made = 0;
function newTask(name: string): { task: StateTask; ip: string } {
  const n = made++;
  const ip = `10.${200 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
  const status: StateStatus = {
    state: "TASK_RUNNING",
    timestamp: Date.now() / 1000,
    container_status: { network_infos: [{ ip_addresses: [{ ip_address: ip }] }] },
  };
  const task: StateTask = {
    id: `${name}.${n}`,
    name,
    framework_id: FRAMEWORK,
    slave_id: agentIds[n % agentIds.length]!,
    executor_id: "",
    state: "TASK_RUNNING",
    resources: { cpus: 0.1, mem: 32, disk: 0, ports: `[${31000 + (n % 1000)}-${31000 + (n % 1000)}]` },
    statuses: [status],
  };
  return { task, ip };
}

interface Change {
  launchMs: number;
  killMs: number;
  /** Time spent inside the fake master's launchTask (part of launchMs). */
  callMs: number;
}

/** Launches one task, waits for its A record, kills it, waits for NXDOMAIN. */
async function change(probe: Prober, name: string): Promise<Change> {
  const { task, ip } = newTask(name);
  const fqdn = `${name}.${DOMAIN}`;
  const t0 = performance.now();
  master.launchTask(FRAMEWORK, task);
  const called = performance.now();
  const t1 = await probe.until(fqdn, { a: ip });
  await sleep(PAUSE_MS);
  const t2 = performance.now();
  master.updateTask(task.id, "TASK_KILLED");
  const t3 = await probe.until(fqdn, "NXDOMAIN");
  await sleep(PAUSE_MS);
  return { launchMs: t1 - t0, killMs: t3 - t2, callMs: called - t0 };
}

/** The task's last status without state and time: a repeat of it changes no record. */
function repeatStatus(task: StateTask): Partial<StateStatus> {
  const last = task.statuses?.at(-1);
  if (last === undefined) return {};
  const { state: _s, timestamp: _t, ...rest } = last;
  return rest;
}

interface Cpu {
  /** Server CPU µs per event, from /proc stat ticks and from the threads' schedstat. */
  perEventUs: number;
  perEventNsUs: number;
  idleMsPerS: number;
  /** Share of the phase's CPU time spent in the kernel (stime), %. */
  systemPercent: number;
  loadMs: number;
  messages: number;
}

/** Idle CPU over one window, then `EVENTS` events in bursts over an equal window. */
async function cpuPhase(ours: Ours, probe: Prober, run: number, baseTasks: StateTask[]): Promise<Cpu> {
  const windowMs = BURSTS * BURST_PERIOD_MS;
  const messages0 = await counter(ours, "mesos_dns_event_stream_messages_total");
  await sleep(200);
  const c0 = cpuSample(ours.pid);
  const idleStart = performance.now();
  await sleep(windowMs);
  const c1 = cpuSample(ours.pid);
  const loadStart = performance.now();
  const idleWall = loadStart - idleStart;
  let previous: StateTask[] = [];
  let last = { name: "", ip: "" };
  for (let b = 0; b < BURSTS; b++) {
    const launched: StateTask[] = [];
    for (let j = 0; j < BURST / 2; j++) {
      if (b === 0) {
        const base = baseTasks[j % baseTasks.length]!;
        master.updateTask(base.id, "TASK_RUNNING", repeatStatus(base));
      } else master.updateTask(previous[j]!.id, "TASK_KILLED");
    }
    for (let j = 0; j < BURST / 2; j++) {
      const name = `load-${run}-${b}-${j}`;
      const { task, ip } = newTask(name);
      master.launchTask(FRAMEWORK, task);
      launched.push(task);
      last = { name, ip };
    }
    previous = launched;
    await sleep(loadStart + (b + 1) * BURST_PERIOD_MS - performance.now());
  }
  await probe.until(`${last.name}.${DOMAIN}`, { a: last.ip });
  const c2 = cpuSample(ours.pid);
  const loadWall = performance.now() - loadStart;
  const messages = (await counter(ours, "mesos_dns_event_stream_messages_total")) - messages0;
  const idle = cpuBetween(c0, c1);
  const load = cpuBetween(c1, c2);
  const net = (busy: number, quiet: number) => ((busy - (quiet * loadWall) / idleWall) * 1000) / EVENTS;
  return {
    perEventUs: net(load.ticks, idle.ticks),
    perEventNsUs: net(load.ns, idle.ns),
    idleMsPerS: (idle.ticks * 1000) / idleWall,
    systemPercent: (100 * load.system) / load.ticks,
    loadMs: loadWall,
    messages,
  };
}

interface Run {
  readyMs: number;
  changes: Change[];
  freshnessPolls: number;
  cpu: Cpu;
  cpuPolls: number;
  rssEvents: number;
  rssEventsAfter: number;
  rssPolling: number;
}

async function measure(run: number): Promise<Run> {
  const doc = JSON.parse(stateText);
  master.setState(doc);
  const baseTasks = (doc.frameworks as { tasks: StateTask[] }[]).flatMap((f) => f.tasks);
  console.error(`run ${run}: starting the server (EventStreamOn true)...`);
  const profile = values["cpu-prof"];
  const flags = profile
    ? ["--cpu-prof", "--cpu-prof-md", "--cpu-prof-interval=250", `--cpu-prof-dir=${profile}`]
    : [];
  const ours = await startOurs(master.hostPort, true, REFRESH_SECONDS, flags);
  const readyMs = await waitReady(ours, "events", 300_000);
  const rssEvents = await settledRss(ours.pid, SETTLE_MS);
  const probe = new Prober(ours.dns);
  for (let i = 0; i < 5; i++) await change(probe, `warm-${run}-${i}`);

  console.error(`run ${run}: ${CHANGES} changes...`);
  await watch.clear(ours, REFRESH_SECONDS, CHANGES * 2 * (PAUSE_MS + 20) + 2000);
  const freshStart = performance.now();
  const changes: Change[] = [];
  for (let i = 0; i < CHANGES; i++) changes.push(await change(probe, `fresh-${run}-${i}`));
  const freshnessPolls = watch.since(freshStart);

  console.error(`run ${run}: CPU over ${EVENTS} events...`);
  await watch.clear(ours, REFRESH_SECONDS, 2 * BURSTS * BURST_PERIOD_MS + 3000);
  const cpuStart = performance.now();
  const cpu = await cpuPhase(ours, probe, run, baseTasks);
  const cpuPolls = watch.since(cpuStart);
  const rssEventsAfter = rssMiB(ours.pid);
  probe.close();
  await ours.server.stop();

  console.error(`run ${run}: starting the server (EventStreamOn false)...`);
  master.setState(JSON.parse(stateText));
  const polling = await startOurs(master.hostPort, false, REFRESH_SECONDS);
  await waitReady(polling, "polling", 300_000);
  const rssPolling = await settledRss(polling.pid, SETTLE_MS);
  await polling.server.stop();
  return { readyMs, changes, freshnessPolls, cpu, cpuPolls, rssEvents, rssEventsAfter, rssPolling };
}

const loadBefore = loadAverage();
const runs: Run[] = [];
for (let r = 0; r < RUNS; r++) runs.push(await measure(r + 1));
const loadAfter = loadAverage();
watch.stop();
await master.stop();

// One column per run, and a last one over all runs (pooled samples, medians of the rest).
const columns = RUNS > 1 ? [...runs.map((_, i) => `run ${i + 1}`), "all"] : ["run 1"];
const each = <T>(f: (r: Run) => T, one: (x: T) => string, all: (xs: T[]) => string): string[] => {
  const xs = runs.map(f);
  return RUNS > 1 ? [...xs.map(one), all(xs)] : [one(xs[0]!)];
};
const pooled = (f: (c: Change) => number) =>
  each(
    (r) => r.changes.map(f),
    spread,
    (xs) => spread(xs.flat()),
  );
const fixed = (digits: number) => (x: number) => x.toFixed(digits);
const num = (f: (r: Run) => number, digits = 1) => each(f, fixed(digits), (xs) => fixed(digits)(median(xs)));
const callP99 = (r: Run) =>
  percentile(
    r.changes.map((c) => c.callMs),
    99,
  );
printTable(
  `${TASKS} tasks, ${AGENTS} agents, ${APPS} apps; ${CHANGES} changes, ${EVENTS} events in bursts of ${BURST}; ` +
    `load average ${loadBefore} before, ${loadAfter} after`,
  columns,
  [
    ["launch ms p50 / p90 / p99 / max", pooled((c) => c.launchMs)],
    ["kill ms p50 / p90 / p99 / max", pooled((c) => c.killMs)],
    ["  of launch: fake master call ms p99", num(callP99, 2)],
    ["  polls during the changes", num((r) => r.freshnessPolls, 0)],
    ["CPU µs per event (/proc stat)", num((r) => r.cpu.perEventUs)],
    ["  the same from thread schedstat", num((r) => r.cpu.perEventNsUs)],
    ["  of the phase's CPU: system %", num((r) => r.cpu.systemPercent, 0)],
    ["  idle CPU ms/s before", num((r) => r.cpu.idleMsPerS, 2)],
    ["  events seen by the server", num((r) => r.cpu.messages, 0)],
    ["  polls during the CPU phase", num((r) => r.cpuPolls, 0)],
    ["ready after start, s", num((r) => r.readyMs / 1000)],
    ["RSS MiB, EventStreamOn true", num((r) => r.rssEvents)],
    ["RSS MiB, EventStreamOn false", num((r) => r.rssPolling)],
    ["RSS ratio true / false", num((r) => r.rssEvents / r.rssPolling, 2)],
    ["RSS MiB, true, after the phases", num((r) => r.rssEventsAfter)],
  ],
);
process.exit(0);
