/**
 * Helpers of scripts/bench/freshness.ts: our server as a separate process (`bun run mod.ts
 * -config=...`) against the fake master, its `/ready` and `/metrics`, and a watch on the
 * polls the fake master serves (so phases can keep clear of them).
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../tests/_dns-client.ts";
import { BIN, conformanceConfig, ROOT } from "../../tests/_server-process.ts";
import type { FakeMaster } from "../fake-master.ts";
import { sleep } from "./_freshness-probe.ts";

export interface ServerProcess {
  readonly child: ChildProcess;
  output(): string;
  /** SIGTERM (a clean exit, so a CPU profile gets written), then waits for the exit. */
  stop(): Promise<void>;
}

/** Every server started, killed on exit whatever happens. */
const spawned: ServerProcess[] = [];
process.on("exit", () => {
  for (const { child } of spawned)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));

export interface Ours {
  readonly server: ServerProcess;
  readonly pid: number;
  readonly dns: number;
  readonly http: number;
}

/** `bun [flags] run mod.ts -config=FILE` with `config` written to a temp file. */
function serve(config: object, flags: readonly string[]): ServerProcess {
  const file = join(mkdtempSync(join(tmpdir(), "bench-freshness-")), "config.json");
  writeFileSync(file, JSON.stringify(config));
  const child = spawn(join(BIN, "bun"), [...flags, "run", join(ROOT, "mod.ts"), `-config=${file}`], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += String(d);
  });
  child.stderr?.on("data", (d) => {
    out += String(d);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Starts our server on free loopback ports, refreshing every `refreshSeconds`. */
export async function startOurs(
  master: string,
  eventStream: boolean,
  refreshSeconds: number,
  bunFlags: readonly string[] = [],
): Promise<Ours> {
  const dns = await freePort();
  const http = await freePort();
  const config = {
    ...conformanceConfig({ dns, http, resolver: await freePort(), master }),
    refreshSeconds,
    EventStreamOn: eventStream,
  };
  const server = serve(config, bunFlags);
  spawned.push(server);
  return { server, pid: server.child.pid ?? 0, dns, http };
}

/** Waits until `/ready` answers ready with `source`; returns the milliseconds it took. */
export async function waitReady(ours: Ours, source: string, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (ours.server.child.exitCode !== null) throw new Error(`server exited:\n${ours.server.output()}`);
    try {
      const body = (await (await fetch(`http://127.0.0.1:${ours.http}/ready`)).json()) as {
        ready?: boolean;
        source?: string;
      };
      if (body.ready === true && body.source === source) return performance.now() - started;
    } catch {
      // Not listening yet.
    }
    await sleep(50);
  }
  throw new Error(`not ready with source ${source} within ${timeoutMs} ms:\n${ours.server.output()}`);
}

/** The sum of a counter family of `/metrics` (every label set). */
export async function counter(ours: Ours, family: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${ours.http}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(`${family}{`) || line.startsWith(`${family} `)) sum += Number(line.split(" ").pop());
  }
  return sum;
}

const STATE_PATHS = new Set(["/master/state", "/master/state.json", "/state", "/state.json"]);

/** Watches the state requests the fake master serves: each is one poll of our server. */
export class PollWatch {
  readonly #master: FakeMaster;
  #seen = 0;
  #timer: ReturnType<typeof setInterval>;
  /** performance.now() of each poll request seen. */
  readonly times: number[] = [];

  constructor(master: FakeMaster) {
    this.#master = master;
    this.#seen = master.requests.length;
    this.#timer = setInterval(() => this.#check(), 20);
  }

  #check(): void {
    const requests = this.#master.requests;
    for (; this.#seen < requests.length; this.#seen++) {
      if (STATE_PATHS.has(requests[this.#seen]!.path)) this.times.push(performance.now());
    }
  }

  /** Polls seen since `since` (performance.now()). */
  since(since: number): number {
    this.#check();
    return this.times.filter((t) => t >= since).length;
  }

  /**
   * Makes room for a phase of `budgetMs` before the next poll of a server polling every
   * `refreshSeconds`: if the last poll is too long ago, waits for the next one, and then
   * until the server counted it done (`mesos_dns_state_refresh_total`) plus a second.
   */
  async clear(ours: Ours, refreshSeconds: number, budgetMs: number): Promise<void> {
    this.#check();
    const last = this.times.at(-1) ?? 0;
    if (performance.now() - last + budgetMs < refreshSeconds * 1000 - 2000) return;
    const polls = this.times.length;
    const done = await counter(ours, "mesos_dns_state_refresh_total");
    console.error(`  waiting for the next poll, to keep the phase clear of it...`);
    while (this.times.length === polls) await sleep(100);
    while ((await counter(ours, "mesos_dns_state_refresh_total")) === done) await sleep(200);
    await sleep(1000);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
