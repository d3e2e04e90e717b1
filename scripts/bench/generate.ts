/**
 * Record-generation benchmark: synthetic Mesos states of 1k, 10k and 100k running tasks
 * (4 frameworks, 50 agents, DiscoveryInfo on every fifth app, container IPs on half the
 * tasks), timed through JSON.parse, parseState and generateRecords. Each size runs in its own
 * child process so the peak RSS figures do not mix.
 *
 * The state text is built task by task (no object tree for the whole document) and a full
 * GC runs before the clock starts, so that CPU time and peak RSS are those of the three
 * phases, as in the server where the text arrives from the network. "base RSS" is the RSS
 * when the phases start (runtime plus the text).
 *
 * Run by hand: `npx bun scripts/bench/generate.ts [sizes...]`. Target: 100k tasks in < 1 s
 * and < 300 MB RSS under Bun.
 */

import { spawnSync } from "node:child_process";
import { defaultConfig } from "../../src/core/config/config.ts";
import { parseState } from "../../src/core/mesos/state.ts";
import { generateRecords } from "../../src/core/records/records.ts";

const FRAMEWORKS = ["marathon", "chronos", "spark-dispatcher", "jenkins"];

/** The shape of a synthetic cluster: agents, and instances per app (apps = tasks / instances). */
export interface ClusterShape {
  readonly agents?: number;
  readonly instancesPerApp?: number;
}

/**
 * The text of a `/master/state` document with `taskCount` running tasks (ids `fw-0`..`fw-3`
 * for the frameworks above, agents `...-S<i>` with hostnames `agent-<i>.example`).
 */
export function syntheticState(taskCount: number, shape: ClusterShape = {}): string {
  const agentCount = shape.agents ?? 50;
  const instancesPerApp = shape.instancesPerApp ?? 20;
  const slaves = Array.from({ length: agentCount }, (_, i) => ({
    id: `20240101-000000-1234567890-5050-1111-S${i}`,
    pid: `slave(1)@10.1.${i >> 8}.${i & 255}:5051`,
    hostname: `agent-${i}.example`,
  }));
  const frameworks = FRAMEWORKS.map((name, i) => ({
    name,
    id: `fw-${i}`,
    pid: `scheduler-${i}@10.0.0.${i + 1}:${8080 + i}`,
    hostname: `sched-${i}.example`,
    tasks: [] as string[],
  }));
  for (let n = 0; n < taskCount; n++) {
    const app = Math.floor(n / instancesPerApp);
    const framework = frameworks[app % frameworks.length]!;
    const agent = n % agentCount;
    const name = `app-${app}`;
    const ip = `172.${16 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
    const status: Record<string, unknown> = {
      state: "TASK_RUNNING",
      timestamp: 1700000000 + n / 1000,
      labels: n % 4 === 1 ? [{ key: "Docker.NetworkSettings.IPAddress", value: ip }] : [],
    };
    if (n % 2 === 0) status["container_status"] = { network_infos: [{ ip_addresses: [{ ip_address: ip }] }] };
    const task: Record<string, unknown> = {
      id: `${name}.${n.toString(16).padStart(8, "0")}-90bc-11e6-ae70-70b3d5800001`,
      name,
      framework_id: "fw",
      executor_id: "",
      slave_id: slaves[agent]!.id,
      state: "TASK_RUNNING",
      resources: { cpus: 0.1, mem: 128, disk: 0, ports: `[${31000 + (n % 1000)}-${31001 + (n % 1000)}]` },
      statuses: [status],
    };
    if (app % 5 === 0) {
      task["discovery"] = {
        visibility: "FRAMEWORK",
        name,
        ports: { ports: [{ number: 80, name: "http", protocol: "tcp" }] },
      };
    }
    framework.tasks.push(JSON.stringify(task));
  }
  const frameworkTexts = frameworks.map(({ tasks, ...rest }) =>
    JSON.stringify({ ...rest, tasks: [] }).replace('"tasks":[]', `"tasks":[${tasks.join(",")}]`),
  );
  return `{"leader":"master@10.0.0.100:5050","frameworks":[${frameworkTexts.join(",")}],"slaves":${JSON.stringify(slaves)}}`;
}

interface Result {
  tasks: number;
  megabytes: number;
  jsonMs: number;
  parseMs: number;
  generateMs: number;
  /** User + system CPU of the whole process over the three phases (GC threads included). */
  cpuMs: number;
  names: number;
  peakRssMb: number;
  baseRssMb: number;
}

/** JSON.parse and parseState, in their own scope so the text and the JSON tree become garbage, as in the server. */
function parsePhase(input: { text: string }, sample: () => void) {
  const text = input.text;
  input.text = "";
  const t0 = performance.now();
  const json: unknown = JSON.parse(text);
  const t1 = performance.now();
  sample();
  const { state } = parseState(json);
  const t2 = performance.now();
  sample();
  return { state, megabytes: text.length / 1e6, jsonMs: t1 - t0, parseMs: t2 - t1 };
}

function measure(taskCount: number): Result {
  const input = { text: syntheticState(taskCount) };
  Bun.gc(true);
  const base = process.memoryUsage().rss;
  let peak = base;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const sampler = setInterval(sample, 5);
  const cpu0 = process.cpuUsage();
  const parsed = parsePhase(input, sample);
  const config = { ...defaultConfig(), Listener: "10.0.0.200" };
  const t2 = performance.now();
  const records = generateRecords({
    state: parsed.state,
    config,
    masters: [],
    resolved: new Map(),
    localAddresses: [],
  });
  const t3 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  sample();
  clearInterval(sampler);
  return {
    tasks: taskCount,
    megabytes: parsed.megabytes,
    jsonMs: parsed.jsonMs,
    parseMs: parsed.parseMs,
    generateMs: t3 - t2,
    cpuMs: (cpu.user + cpu.system) / 1000,
    names: records.a.size + records.aaaa.size + records.srv.size,
    peakRssMb: peak / 1e6,
    baseRssMb: base / 1e6,
  };
}

const args = import.meta.main ? process.argv.slice(2) : ["--imported"];
if (args[0] === "--imported") {
  // Imported for its builder: nothing to run.
} else if (args[0] === "--child") {
  console.log(JSON.stringify(measure(Number(args[1]))));
} else {
  const sizes = args.length > 0 ? args.map(Number) : [1_000, 10_000, 100_000];
  const rows: Result[] = [];
  for (const size of sizes) {
    const child = spawnSync(process.execPath, [process.argv[1]!, "--child", String(size)], {
      encoding: "utf8",
    });
    if (child.status !== 0) {
      console.error(`size ${size} failed:\n${child.stderr}`);
      process.exit(1);
    }
    rows.push(JSON.parse(child.stdout.trim().split("\n").pop()!));
  }
  const fixed = (n: number) => n.toFixed(0);
  console.log(
    "tasks    state MB  JSON.parse ms  parseState ms  generate ms  total ms  CPU ms    names  base RSS MB  peak RSS MB",
  );
  for (const r of rows) {
    const total = r.jsonMs + r.parseMs + r.generateMs;
    console.log(
      [
        String(r.tasks).padEnd(8),
        r.megabytes.toFixed(1).padStart(8),
        fixed(r.jsonMs).padStart(13),
        fixed(r.parseMs).padStart(14),
        fixed(r.generateMs).padStart(12),
        fixed(total).padStart(9),
        fixed(r.cpuMs).padStart(7),
        String(r.names).padStart(8),
        fixed(r.baseRssMb).padStart(12),
        fixed(r.peakRssMb).padStart(12),
      ].join(" "),
    );
  }
}
