/**
 * The forwarded rows of the conformance tables, asked through the forwarder of a dnsmasq
 * started with exactly the command line of shared/conformance/README.md (on a free port).
 * Skipped, with the reason printed, when dnsmasq is not installed, except with CI=true.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bunPlatform } from "../../src/adapters/bun.ts";
import type { ParsedQuery } from "../../src/core/codec.ts";
import { parseQuery } from "../../src/core/codec.ts";
import { defaultConfig } from "../../src/core/config.ts";
import type { ForwarderWithStats } from "../../src/core/forwarder.ts";
import { createForwarder } from "../../src/core/forwarder.ts";
import type { Row } from "../_conformance.ts";
import { compareRow, describeReply, encodeRowQuery, loadRows, rowQuery } from "../_conformance.ts";

const SHARED = join(import.meta.dir, "../../../shared/conformance");
const TABLES = ["answers-fake.tsv", "answers-fake-variants.tsv"];

/** The README's command line; only the port, pid file and log file are ours. */
export function dnsmasqArgs(port: number, dir: string, extra: string[] = []): string[] {
  const big = Array.from({ length: 40 }, (_, i) => `--host-record=big.fwd.test,10.8.1.${i + 1}`);
  return [
    "--conf-file=/dev/null",
    "--no-resolv",
    "--no-hosts",
    "--keep-in-foreground",
    "--user=root",
    `--port=${port}`,
    "--listen-address=127.0.0.1",
    "--bind-interfaces",
    `--pid-file=${join(dir, "dnsmasq.pid")}`,
    `--log-facility=${join(dir, "dnsmasq.log")}`,
    "--address=/example.test/10.9.9.9",
    "--local=/fwd.test/",
    "--host-record=host.fwd.test,10.8.8.8,fd00::8",
    "--srv-host=_http._tcp.fwd.test,host.fwd.test,80,0,5",
    "--txt-record=txt.fwd.test,hello",
    "--cname=alias.fwd.test,host.fwd.test",
    ...big,
    ...extra,
  ];
}

/** A port free for UDP right now (dnsmasq also needs TCP; a clash makes it exit, and we retry). */
async function freePort(): Promise<number> {
  const s = createSocket("udp4");
  await new Promise<void>((done) => s.bind(0, "127.0.0.1", done));
  const port = s.address().port;
  await new Promise<void>((done) => s.close(() => done()));
  return port;
}

/** Starts dnsmasq and waits until it answers; undefined when it is not installed. */
export async function startDnsmasq(extra: string[] = []) {
  const binary = Bun.which("dnsmasq") ?? Bun.which("dnsmasq", { PATH: "/usr/sbin:/sbin" });
  if (!binary) return undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), "fwd-dnsmasq-"));
    const port = await freePort();
    const child = spawn(binary, dnsmasqArgs(port, dir, extra), { stdio: ["ignore", "ignore", "pipe"] });
    let exited = false;
    child.on("exit", () => {
      exited = true;
    });
    const stop = async () => {
      if (!exited) {
        const gone = new Promise((done) => child.once("exit", done));
        child.kill("SIGTERM");
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    };
    for (let i = 0; i < 50 && !exited; i++) {
      if (await answers(port))
        return { port, stop, log: () => readFileSync(join(dir, "dnsmasq.log"), "utf8") };
      await Bun.sleep(100);
    }
    await stop();
  }
  throw new Error("dnsmasq did not start on any of 5 free ports");
}

async function answers(port: number): Promise<boolean> {
  const s = createSocket("udp4");
  try {
    return await new Promise<boolean>((done) => {
      const timer = setTimeout(() => done(false), 200);
      s.on("message", () => {
        clearTimeout(timer);
        done(true);
      });
      s.on("error", () => done(false));
      s.send(
        encodeRowQuery({ name: "host.fwd.test", qtype: 1, transport: "udp", edns: undefined, rd: true }, 1),
        port,
        "127.0.0.1",
      );
    });
  } finally {
    s.close();
  }
}

const forwardedRows: { table: string; row: Row }[] = [];
for (const table of TABLES) {
  for (const row of loadRows(join(SHARED, table))) {
    const name = (row.name ?? "").toLowerCase().replace(/\.$/, "");
    if (name !== "mesos" && !name.endsWith(".mesos")) forwardedRows.push({ table, row });
  }
}

let dnsmasq: Awaited<ReturnType<typeof startDnsmasq>>;
let forwarder: ForwarderWithStats | undefined;
let missing = false;

beforeAll(async () => {
  dnsmasq = await startDnsmasq();
  if (!dnsmasq) {
    missing = true;
    if (process.env.CI === "true") throw new Error("dnsmasq is not installed (required when CI=true)");
    console.warn("skipped: dnsmasq is not installed; the forwarded conformance rows were not checked");
    return;
  }
  forwarder = createForwarder({
    platform: bunPlatform,
    config: { ...defaultConfig(), Resolvers: [`127.0.0.1:${dnsmasq.port}`], Timeout: 2 },
  });
});

afterAll(async () => {
  await forwarder?.close();
  await dnsmasq?.stop();
});

describe("forwarded conformance rows through dnsmasq", () => {
  test("the tables have forwarded rows (30 expected)", () => {
    expect(forwardedRows.length).toBe(30);
  });

  for (const { table, row } of forwardedRows) {
    test(`${table}: ${row.name} ${row.qtype} [${row.mode}] is answered as the table says`, async () => {
      if (missing) return;
      const q = rowQuery(row);
      const bytes = encodeRowQuery(q, Math.floor(Math.random() * 0x10000));
      const parsed = parseQuery(bytes) as ParsedQuery;
      const reply = await forwarder!.forward(bytes, parsed, q.transport);
      expect(compareRow(row, describeReply(reply, q.name, q.qtype))).toEqual([]);
    });
  }

  test("nothing is left waiting after the rows", () => {
    if (missing) return;
    const { inFlight, pendingUdp, pendingTcp } = forwarder!.stats();
    expect({ inFlight, pendingUdp, pendingTcp }).toEqual({ inFlight: 0, pendingUdp: 0, pendingTcp: 0 });
  });
});
