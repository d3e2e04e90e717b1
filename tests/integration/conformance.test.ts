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
import { compileExecutable } from "../../scripts/build.ts";
import { buildNodeBundle } from "../../scripts/build-node.ts";
import { type FakeMaster, startFakeMaster } from "../../scripts/fake-master.ts";
import { freePort, waitForDns } from "../_dns-client.ts";
import { DNSMASQ, type Dnsmasq, startDnsmasq } from "../_dnsmasq.ts";
import { nullsToEmpty, referenceAxfr, referenceEnumerate, sortedDeep } from "../_http-fixture.ts";
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
  dnsmasq = await startDnsmasq();
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

/** Waits until `/ready` names `source` (the event stream's snapshot has replaced the first poll's). */
async function waitForSource(httpPort: number, source: string, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  let last = "";
  while (Date.now() < end) {
    try {
      last = await (await fetch(`http://127.0.0.1:${httpPort}/ready`)).text();
      if (last.includes(`"source":"${source}"`)) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`/ready never said source ${source}; last: ${last}`);
}

async function withServer(
  runtime: Runtime,
  body: (port: number, httpPort: number) => Promise<void> | void,
  events = true,
) {
  const port = await freePort();
  const httpPort = await freePort();
  const paths: { nodeBundle?: string; binary?: string } = {};
  const dir = mkdtempSync(join(tmpdir(), "mesos-dns-build-"));
  if (runtime === "node") paths.nodeBundle = await buildNodeBundle(dir);
  if (runtime === "binary")
    paths.binary = await compileExecutable({ outfile: join(dir, "mesos-dns"), version: "conformance" });
  const config = {
    ...conformanceConfig({ dns: port, http: httpPort, resolver: dnsmasq.port }),
    EventStreamOn: events,
  };
  const server: ServerProcess = startServer(runtime, config, paths);
  try {
    await waitForDns("127.0.0.1", port, "leader.mesos", 20_000).catch((error) => {
      throw new Error(`${error}\n--- server output ---\n${server.output()}`);
    });
    await waitForSource(httpPort, events ? "events" : "polling", 20_000).catch((error) => {
      throw new Error(`${error}\n--- server output ---\n${server.output()}`);
    });
    await body(port, httpPort);
  } finally {
    await server.stop();
  }
}

async function getJson(httpPort: number, path: string): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${httpPort}${path}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/json");
  return response.json();
}

/** The HTTP API for fake.json against upstream's bodies (docs/spec.md §8, the conformance README). */
async function checkHttp(httpPort: number): Promise<void> {
  const enumerate = (await getJson(httpPort, "/v1/enumerate")) as Parameters<typeof nullsToEmpty>[0];
  expect(sortedDeep(nullsToEmpty(enumerate))).toEqual(sortedDeep(nullsToEmpty(referenceEnumerate())));
  const axfr = (await getJson(httpPort, "/v1/axfr")) as { Records: unknown; Serial: number };
  const reference = referenceAxfr() as unknown as { Records: unknown };
  expect(sortedDeep(axfr.Records)).toEqual(sortedDeep(reference.Records));
  expect(await getJson(httpPort, "/v1/services/_leader._tcp.mesos")).toEqual([
    { service: "_leader._tcp.mesos", host: "leader.mesos.", ip: "127.0.0.1", port: "5050" },
  ]);
  expect(await getJson(httpPort, "/v1/hosts/leader.mesos")).toEqual([
    { host: "leader.mesos.", ip: "127.0.0.1" },
  ]);
  const version = (await getJson(httpPort, "/v1/version")) as Record<string, string>;
  expect(Object.keys(version)).toEqual(["Service", "URL", "Version"]);
  const config = (await getJson(httpPort, "/v1/config")) as Record<string, unknown>;
  expect(config["Masters"]).toEqual(["127.0.0.1:5050"]);
}

describe.skipIf(!runnable)("conformance with ../shared/conformance", () => {
  const runs = [
    ["bun", true],
    ["deno", true],
    ["node", true],
    ["binary", true],
    ["bun", false],
  ] as const;
  for (const [runtime, events] of runs) {
    const mode = events ? "records from the event stream" : "EventStreamOn false (polling only)";
    test(`${runtime}, ${mode}: answers-fake.tsv and answers-fake-variants.tsv show no difference; the HTTP API matches`, async () => {
      await withServer(
        runtime,
        async (port, httpPort) => {
          for (const table of ["answers-fake.tsv", "answers-fake-variants.tsv"]) {
            const { status, output } = diff(table, port);
            if (status !== 0) console.error(`${runtime} ${table}:\n${output}`);
            expect(status).toBe(0);
          }
          await checkHttp(httpPort);
        },
        events,
      );
    }, 120_000);
  }
});
