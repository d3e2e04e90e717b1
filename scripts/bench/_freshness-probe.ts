/**
 * Helpers of scripts/bench/freshness.ts: a UDP prober that asks one name in a closed loop
 * until the answer is the wanted one, percentiles, and a process's CPU time and RSS from /proc.
 *
 * @module
 */
import { createSocket, type Socket } from "node:dgram";
import { readdirSync, readFileSync } from "node:fs";
import { decodeMessage } from "../../src/core/dns/codec.ts";
import { queryBytes } from "../../tests/_dns-client.ts";

/** What a reply must be: NOERROR with this A value, or NXDOMAIN. */
export type Wanted = { readonly a: string } | "NXDOMAIN";

/**
 * Asks `name A` over one socket, one query at a time, each with a fresh ID: the next query
 * goes out as soon as the previous reply came back (or after `resendMs` without one).
 */
export class Prober {
  readonly #socket: Socket;
  readonly #port: number;
  #id = 0;
  #onReply: ((bytes: Uint8Array) => void) | undefined;
  /** Queries sent, for the record. */
  sent = 0;

  constructor(port: number) {
    this.#port = port;
    this.#socket = createSocket("udp4");
    this.#socket.on("message", (msg) => this.#onReply?.(new Uint8Array(msg)));
    this.#socket.on("error", () => {});
  }

  /** Resolves with performance.now() when a reply to `name` is `wanted`; rejects after `timeoutMs`. */
  until(name: string, wanted: Wanted, timeoutMs = 30_000, resendMs = 100): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    return new Promise((resolve, reject) => {
      let resend: ReturnType<typeof setTimeout> | undefined;
      const ask = () => {
        clearTimeout(resend);
        if (performance.now() > deadline) {
          this.#onReply = undefined;
          reject(new Error(`${name}: no ${JSON.stringify(wanted)} answer within ${timeoutMs} ms`));
          return;
        }
        this.#id = (this.#id + 1) & 0xffff;
        const id = this.#id;
        this.#onReply = (bytes) => {
          if (((bytes[0]! << 8) | bytes[1]!) !== id) return;
          const at = performance.now();
          if (matches(bytes, wanted)) {
            clearTimeout(resend);
            this.#onReply = undefined;
            resolve(at);
          } else ask();
        };
        this.sent++;
        this.#socket.send(queryBytes(name, "A", { id }), this.#port, "127.0.0.1");
        resend = setTimeout(ask, resendMs);
      };
      ask();
    });
  }

  close(): void {
    this.#socket.close();
  }
}

function matches(bytes: Uint8Array, wanted: Wanted): boolean {
  const rcode = bytes[3]! & 0xf;
  if (wanted === "NXDOMAIN") return rcode === 3;
  if (rcode !== 0 || ((bytes[6]! << 8) | bytes[7]!) === 0) return false;
  const reply = decodeMessage(bytes);
  return reply?.answers.some((r) => r.type === "A" && r.data === wanted.a) ?? false;
}

/** The p-th percentile (nearest rank) of `xs`. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const median = (xs: readonly number[]) => percentile(xs, 50);

/** p50, p90, p99 and max of `xs`, as one table cell. */
export function spread(xs: readonly number[]): string {
  return [50, 90, 99, 100].map((p) => percentile(xs, p).toFixed(1)).join(" / ");
}

/**
 * CPU time of a process: `threads` holds `sum_exec_runtime` (nanoseconds) of each live thread
 * (/proc/<pid>/task/<tid>/schedstat), `ticksMs` is utime + stime of /proc/<pid>/stat (10 ms
 * clock ticks, exited threads included).
 */
export interface CpuSample {
  readonly threads: ReadonlyMap<string, number>;
  readonly ticksMs: number;
  /** The stime part of `ticksMs`. */
  readonly systemMs: number;
}

export function cpuSample(pid: number): CpuSample {
  const threads = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      threads.set(tid, Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]));
    } catch {
      // The thread exited meanwhile.
    }
  }
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the name: state is field 3, utime 14 and stime 15 (1-based), so 11 and 12 here.
  return {
    threads,
    ticksMs: (Number(fields[11]) + Number(fields[12])) * 10,
    systemMs: Number(fields[12]) * 10,
  };
}

/**
 * CPU milliseconds between two samples: `ns` from the threads (what a thread that exited in
 * between ran after `a` is missed), `ticks` from /proc stat, `system` its stime part.
 */
export function cpuBetween(a: CpuSample, b: CpuSample): { ns: number; ticks: number; system: number } {
  let ns = 0;
  for (const [tid, after] of b.threads) ns += after - (a.threads.get(tid) ?? 0);
  return { ns: ns / 1e6, ticks: b.ticksMs - a.ticksMs, system: b.systemMs - a.systemMs };
}

/** VmRSS of a process, MiB. */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** VmRSS after at least `minMs`, once it moved less than 2% over the last 2 s (30 s at most). */
export async function settledRss(pid: number, minMs: number): Promise<number> {
  const started = performance.now();
  await sleep(minMs);
  const readings = [rssMiB(pid)];
  while (performance.now() - started < Math.max(minMs, 30_000)) {
    await sleep(500);
    readings.push(rssMiB(pid));
    const recent = readings.slice(-5);
    if (recent.length === 5 && Math.max(...recent) - Math.min(...recent) < 0.02 * Math.min(...recent)) break;
  }
  return readings.at(-1)!;
}

/** The load averages over 1, 5 and 15 minutes. */
export const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Prints `title`, then one line per row: the label, then one right-aligned cell per column. */
export function printTable(title: string, columns: readonly string[], rows: [string, string[]][]): void {
  console.log(title);
  const width = Math.max(...rows.map(([label]) => label.length));
  const cellWidth = Math.max(...rows.flatMap(([, cells]) => cells.map((c) => c.length)), 8);
  console.log([" ".repeat(width), ...columns.map((c) => c.padStart(cellWidth))].join("  "));
  for (const [label, cells] of rows) {
    console.log([label.padEnd(width), ...cells.map((c) => c.padStart(cellWidth))].join("  "));
  }
}
