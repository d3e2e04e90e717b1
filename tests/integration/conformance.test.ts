/**
 * The conformance bar: for ../shared/fixtures/fake.json served by the fake master on
 * 127.0.0.1:5050 and Debian's dnsmasq as the forwarding target, the shared checker
 * reports zero differences against both answer tables — under Bun, Deno and Node.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildNodeBundle } from "../../scripts/build-node.ts";
import { type FakeMaster, startFakeMaster } from "../../scripts/fake-master.ts";
import { freePort, waitForDns } from "../_dns-client.ts";
import { DNSMASQ, type Dnsmasq, startDnsmasq } from "../_dnsmasq.ts";
import {
  conformanceConfig,
  haveShared,
  type Runtime,
  requireOrSkip,
  type ServerProcess,
  SHARED,
  startServer,
} from "../_server-process.ts";

const runnable =
  requireOrSkip(haveShared(), "../shared/conformance is not beside the project") &&
  requireOrSkip(DNSMASQ !== undefined, "dnsmasq is not installed") &&
  requireOrSkip(spawnSync("python3", ["--version"]).status === 0, "python3 is not installed");

let master: FakeMaster;
let dnsmasq: Dnsmasq;

beforeAll(async () => {
  if (!runnable) return;
  const state = JSON.parse(readFileSync(join(SHARED, "fixtures", "fake.json"), "utf8"));
  // The tables assume the master at 127.0.0.1:5050 (leader.mesos, _leader._tcp port 5050).
  master = await startFakeMaster({ state, host: "127.0.0.1", port: 5050 });
  dnsmasq = await startDnsmasq(await freePort());
});

afterAll(async () => {
  await master?.stop();
  await dnsmasq?.stop();
});

function diff(table: string, port: number): { status: number | null; output: string } {
  const result = spawnSync(
    "python3",
    [
      join(SHARED, "tools", "dns-diff.py"),
      "-q",
      "--expect",
      join(SHARED, "conformance", table),
      `127.0.0.1:${port}`,
    ],
    { encoding: "utf8", timeout: 120_000 },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

async function withServer(runtime: Runtime, body: (port: number) => Promise<void> | void): Promise<void> {
  const port = await freePort();
  const paths: { nodeBundle?: string } = {};
  if (runtime === "node")
    paths.nodeBundle = await buildNodeBundle(mkdtempSync(join(tmpdir(), "mesos-dns-node-")));
  const config = conformanceConfig({ dns: port, http: await freePort(), resolver: dnsmasq.port });
  const server: ServerProcess = startServer(runtime, config, paths);
  try {
    await waitForDns("127.0.0.1", port, "leader.mesos", 20_000).catch((error) => {
      throw new Error(`${error}\n--- server output ---\n${server.output()}`);
    });
    await body(port);
  } finally {
    await server.stop();
  }
}

describe.skipIf(!runnable)("conformance with ../shared/conformance", () => {
  for (const runtime of ["bun", "deno", "node"] as const) {
    test(`${runtime}: answers-fake.tsv and answers-fake-variants.tsv show no difference`, async () => {
      await withServer(runtime, (port) => {
        for (const table of ["answers-fake.tsv", "answers-fake-variants.tsv"]) {
          const { status, output } = diff(table, port);
          if (status !== 0) console.error(`${runtime} ${table}:\n${output}`);
          expect(status).toBe(0);
        }
      });
    }, 120_000);
  }
});
