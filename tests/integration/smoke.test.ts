/**
 * End-to-end smoke suite, run against each of the four ways of running Mesos-DNS: the
 * compiled executable, Bun and Deno from source, and Node.js on the bundle. Each gets a fake
 * master serving tests/fixtures/fake-state.json and dnsmasq as the forwarding target; the
 * linux-arm64 executable is also run under qemu-user.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileExecutable, verifyExecutable } from "../../scripts/build.ts";
import { buildNodeBundle } from "../../scripts/build-node.ts";
import { type FakeMaster, startFakeMaster } from "../../scripts/fake-master.ts";
import { type DecodedMessage, decodeMessage } from "../../src/core/dns/codec.ts";
import { VERSION as SOURCE_VERSION } from "../../src/version.ts";
import { ask, freePort, queryBytes, tcpExchange, waitForDns } from "../_dns-client.ts";
import { DNSMASQ, type Dnsmasq, startDnsmasq } from "../_dnsmasq.ts";
import {
  conformanceConfig,
  ROOT,
  type Runtime,
  requireOrSkip,
  type ServerProcess,
  startServer,
} from "../_server-process.ts";

const HOST = "127.0.0.1";
const STAMPED = "0.1.0+smoke";
const QEMU = "/usr/bin/qemu-aarch64-static";
const ARM64_SYSROOT = "/usr/aarch64-linux-gnu";

const runnable = requireOrSkip(DNSMASQ !== undefined, "dnsmasq is not installed (apt-get install dnsmasq)");
const qemuRunnable =
  runnable &&
  requireOrSkip(
    existsSync(QEMU) && existsSync(join(ARM64_SYSROOT, "lib", "ld-linux-aarch64.so.1")),
    "qemu-aarch64-static or the arm64 C library is missing (apt-get install qemu-user-static libc6-arm64-cross)",
  );

function fixture(): { frameworks: { name: string; tasks: Record<string, unknown>[] }[] } {
  return JSON.parse(readFileSync(join(ROOT, "tests", "fixtures", "fake-state.json"), "utf8"));
}

/** The fixture plus `smoke-added`, a running copy of the Marathon task nginx (network address 10.3.0.3). */
function fixtureWithNewTask(): unknown {
  const state = fixture();
  const marathon = state.frameworks.find((f) => f.name === "marathon");
  const nginx = marathon?.tasks.find((t) => t.name === "nginx");
  if (!marathon || !nginx) throw new Error("tests/fixtures/fake-state.json: no marathon task named nginx");
  marathon.tasks.push({
    ...nginx,
    id: "smoke-added.0f0e0d0c-0000-11e4-0000-000000000001",
    name: "smoke-added",
  });
  return state;
}

/** The record data of `type` in the answer section, sorted, as text; the rcode when not NOERROR. */
function answers(reply: DecodedMessage | undefined, type: string): string[] {
  if (!reply) return ["<no reply>"];
  if (reply.rcode !== "NOERROR") return [`<${reply.rcode}>`];
  return reply.answers
    .filter((r) => r.type === type)
    .map((r) => {
      if (type !== "SRV") return String(r.data);
      const srv = r.data as { priority: number; weight: number; port: number; target: string };
      return `${srv.priority} ${srv.weight} ${srv.port} ${srv.target}`;
    })
    .sort();
}

const TOY_STORE_SRV = [
  "0 1 31354 toy-store-go588-3.ipv6-framework.slave.mesos",
  "0 1 31355 toy-store-go588-3.ipv6-framework.slave.mesos",
];

let dnsmasq: Dnsmasq | undefined;
const built: { binary?: string; nodeBundle?: string } = {};
/** Temp dirs holding ~100 MB executables: removed after the suite. */
const buildDirs: string[] = [];

beforeAll(async () => {
  if (!runnable) return;
  const dir = mkdtempSync(join(tmpdir(), "mesos-dns-smoke-"));
  buildDirs.push(dir);
  built.binary = await compileExecutable({ outfile: join(dir, "mesos-dns"), version: STAMPED });
  built.nodeBundle = await buildNodeBundle(dir, STAMPED);
  dnsmasq = await startDnsmasq();
}, 60_000);

afterAll(async () => {
  await dnsmasq?.stop();
  for (const dir of buildDirs) rmSync(dir, { recursive: true, force: true });
});

interface Running {
  readonly master: FakeMaster;
  readonly server: ServerProcess;
  readonly dns: number;
  readonly http: number;
}

/** A fake master and the server under `runtime` (or `binary`, e.g. a qemu wrapper), answering. */
async function launch(runtime: Runtime, binary: string | undefined, startMs: number): Promise<Running> {
  const master = await startFakeMaster({ state: fixture() });
  const dns = await freePort();
  const http = await freePort();
  const config = {
    ...conformanceConfig({ dns, http, resolver: dnsmasq?.port ?? 53, master: master.hostPort }),
    refreshSeconds: 1,
  };
  const server = startServer(runtime, config, {
    nodeBundle: built.nodeBundle,
    binary: binary ?? built.binary,
  });
  try {
    await waitForDns(HOST, dns, "leader.mesos", startMs);
  } catch (error) {
    await server.stop("SIGKILL");
    await master.stop();
    throw new Error(`${error}\n--- ${runtime} output ---\n${server.output()}`);
  }
  return { master, server, dns, http };
}

async function stopAll(running: Running | undefined): Promise<void> {
  if (!running) return;
  await running.server.stop("SIGKILL");
  await running.master.stop();
}

/** Resolves with the exit code, or "still running" when `ms` pass first. */
function exitWithin(server: ServerProcess, ms: number): Promise<number | null | "still running"> {
  return Promise.race([
    server.stop("SIGTERM"),
    new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), ms)),
  ]);
}

const RUNTIMES = ["binary", "bun", "deno", "node"] as const;

for (const runtime of RUNTIMES) {
  describe.skipIf(!runnable)(`smoke: ${runtime}`, () => {
    let run: Running | undefined;
    const r = (): Running => {
      if (!run) throw new Error(`${runtime}: the server did not start`);
      return run;
    };

    beforeAll(async () => {
      run = await launch(runtime, undefined, 20_000);
    }, 30_000);

    afterAll(async () => {
      await stopAll(run);
    });

    test(`${runtime}: answers A, AAAA and SRV over UDP`, async () => {
      const { dns, master } = r();
      expect(answers(await ask(HOST, dns, "leader.mesos", "A"), "A")).toEqual(["127.0.0.1"]);
      expect(answers(await ask(HOST, dns, "toy-store.ipv6-framework.mesos", "A"), "A")).toEqual([
        "12.0.1.2",
        "12.0.1.3",
      ]);
      expect(answers(await ask(HOST, dns, "toy-store.ipv6-framework.mesos", "AAAA"), "AAAA")).toEqual([
        "fd01:b::1:8000:2",
      ]);
      expect(answers(await ask(HOST, dns, "_toy-store._tcp.ipv6-framework.mesos", "SRV"), "SRV")).toEqual(
        TOY_STORE_SRV,
      );
      expect(answers(await ask(HOST, dns, "_leader._tcp.mesos", "SRV"), "SRV")).toEqual([
        `0 1 ${master.port} leader.mesos`,
      ]);
    }, 10_000);

    test(`${runtime}: answers several queries on one TCP connection, forwarded ones included`, async () => {
      const questions: [string, string][] = [
        ["toy-store.ipv6-framework.mesos", "A"],
        ["toy-store.ipv6-framework.mesos", "AAAA"],
        ["_toy-store._tcp.ipv6-framework.mesos", "SRV"],
        ["www.example.test", "A"],
      ];
      const replies = await tcpExchange(
        HOST,
        r().dns,
        questions.map(([name, type], i) => queryBytes(name, type, { id: 1000 + i })),
        5000,
      );
      const byId = new Map(replies.map((bytes) => decodeMessage(bytes)).map((m) => [m?.id, m]));
      expect(replies.length).toBe(questions.length);
      expect(answers(byId.get(1000), "A")).toEqual(["12.0.1.2", "12.0.1.3"]);
      expect(answers(byId.get(1001), "AAAA")).toEqual(["fd01:b::1:8000:2"]);
      expect(answers(byId.get(1002), "SRV")).toEqual(TOY_STORE_SRV);
      expect(answers(byId.get(1003), "A")).toEqual(["10.9.9.9"]);
    }, 10_000);

    test(`${runtime}: forwards a name outside the domain to the resolver`, async () => {
      const reply = await ask(HOST, r().dns, "www.example.test", "A");
      const direct = await ask(HOST, dnsmasq?.port ?? 53, "www.example.test", "A");
      expect({ server: answers(reply, "A"), dnsmasq: answers(direct, "A") }).toEqual({
        server: ["10.9.9.9"],
        dnsmasq: ["10.9.9.9"],
      });
    }, 10_000);

    test(`${runtime}: serves /v1/version and /v1/hosts/leader.mesos over HTTP`, async () => {
      const base = `http://${HOST}:${r().http}`;
      const version = (await (await fetch(`${base}/v1/version`)).json()) as { Version?: string };
      const expected = runtime === "binary" || runtime === "node" ? STAMPED : SOURCE_VERSION;
      expect(version.Version).toBe(expected);
      const leader = await (await fetch(`${base}/v1/hosts/leader.mesos`)).json();
      expect(leader).toEqual([{ host: "leader.mesos.", ip: "127.0.0.1" }]);
    }, 10_000);

    test(`${runtime}: picks up a task added on the master within a refresh`, async () => {
      const { dns, master } = r();
      expect((await ask(HOST, dns, "smoke-added.marathon.mesos", "A"))?.rcode).toBe("NXDOMAIN");
      master.setState(fixtureWithNewTask());
      // refreshSeconds is 1: one tick plus a state fetch, with slack for a loaded machine.
      await waitForDns(HOST, dns, "smoke-added.marathon.mesos", 3000);
      expect(answers(await ask(HOST, dns, "smoke-added.marathon.mesos", "A"), "A")).toEqual(["10.3.0.3"]);
    }, 10_000);

    test(`${runtime}: exits 0 within 1 second of SIGTERM, even with an HTTP request held open`, async () => {
      // A client that announced a body and never sends it must not keep the process alive.
      const held = connect({ host: HOST, port: r().http });
      held.on("error", () => {});
      await new Promise<void>((resolve) => held.once("connect", () => resolve()));
      held.write(
        "POST /v1/version HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{}",
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await exitWithin(r().server, 1000)).toBe(0);
      held.destroy();
    }, 10_000);
  });
}

describe.skipIf(!runnable)("smoke: compiled executable", () => {
  test("binary: -version runs with no PATH and an empty HOME", () => {
    if (!built.binary) throw new Error("the executable was not built");
    verifyExecutable(built.binary, STAMPED);
  });

  test("binary: the host executable never needs the bun CLI on PATH to serve", async () => {
    if (!built.binary) throw new Error("the executable was not built");
    const out = spawnSync(built.binary, ["-help"], { env: { PATH: "/nonexistent" }, encoding: "utf8" });
    expect(out.status).toBe(0);
    expect(`${out.stdout}${out.stderr}`).toContain("-config");
  });
});

describe.skipIf(!qemuRunnable)("smoke: linux-arm64 executable under qemu-user", () => {
  let wrapper: string | undefined;
  let arm64: string | undefined;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "mesos-dns-arm64-"));
    buildDirs.push(dir);
    arm64 = await compileExecutable({
      outfile: join(dir, "mesos-dns"),
      version: STAMPED,
      target: "bun-linux-arm64",
    });
    // startServer spawns one executable; exec keeps signals going straight to qemu.
    wrapper = join(dir, "mesos-dns-qemu");
    writeFileSync(wrapper, `#!/bin/sh\nexec ${QEMU} -L ${ARM64_SYSROOT} ${arm64} "$@"\n`);
    chmodSync(wrapper, 0o755);
  }, 60_000);

  test("arm64: -version prints the stamped version", () => {
    if (!arm64) throw new Error("the arm64 executable was not built");
    const out = spawnSync(QEMU, ["-L", ARM64_SYSROOT, arm64, "-version"], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(out.status).toBe(0);
    expect(out.stdout.trim()).toBe(STAMPED);
  }, 40_000);

  test("arm64: serves an A query", async () => {
    let run: Running | undefined;
    try {
      run = await launch("binary", wrapper, 60_000);
      expect(answers(await ask(HOST, run.dns, "toy-store.ipv6-framework.mesos", "A"), "A")).toEqual([
        "12.0.1.2",
        "12.0.1.3",
      ]);
    } finally {
      await stopAll(run);
    }
  }, 90_000);
});
