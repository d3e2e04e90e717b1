/**
 * The server as operators meet it: Debian's `dig` as the client, over UDP and TCP, against a
 * server started from source with the bundled example state.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeMaster, startFakeMaster } from "../../scripts/fake-master.ts";
import { freePort, waitForDns } from "../_dns-client.ts";
import { ROOT, requireOrSkip, type ServerProcess, startServer } from "../_server-process.ts";

const DIG = ["/usr/bin/dig", "/bin/dig"].find((p) => existsSync(p));
const runnable = requireOrSkip(DIG !== undefined, "dig is not installed (apt-get install dnsutils)");

let master: FakeMaster;
let server: ServerProcess;
let port: number;

function dig(...args: string[]): string {
  const out = spawnSync(DIG!, [`@127.0.0.1`, "-p", String(port), "+time=2", "+tries=1", ...args], {
    encoding: "utf8",
  });
  return out.stdout;
}

beforeAll(async () => {
  if (!runnable) return;
  master = await startFakeMaster({
    state: JSON.parse(readFileSync(join(ROOT, "tests/fixtures/fake-state.json"), "utf8")),
  });
  port = await freePort();
  server = startServer("bun", {
    masters: [master.hostPort],
    port,
    listener: "127.0.0.1",
    httpon: false,
    externalon: false,
  });
  await waitForDns("127.0.0.1", port, "leader.mesos", 20_000);
});

afterAll(async () => {
  await server?.stop();
  await master?.stop();
});

describe.skipIf(!runnable)("dig against the server", () => {
  test("A over UDP and TCP", () => {
    expect(dig("nginx.marathon.mesos", "+short").trim()).toBe("10.3.0.3");
    expect(dig("nginx.marathon.mesos", "+short", "+tcp").trim()).toBe("10.3.0.3");
  });

  test("SRV with targets, and the leader's SRV", () => {
    const lines = dig("_liquor-store._tcp.marathon.mesos", "SRV", "+short").trim().split("\n").sort();
    expect(lines).toEqual([
      "0 1 443 liquor-store-4dfjd-0.marathon.mesos.",
      "0 1 443 liquor-store-zasmd-1.marathon.mesos.",
      "0 1 80 liquor-store-4dfjd-0.marathon.mesos.",
      "0 1 80 liquor-store-zasmd-1.marathon.mesos.",
    ]);
    expect(dig("_leader._tcp.mesos", "SRV", "+short").trim()).toBe(`0 1 ${master.port} leader.mesos.`);
  });

  test("AAAA, NXDOMAIN with the apex SOA, and the EDNS size echoed", () => {
    expect(dig("toy-store.ipv6-framework.mesos", "AAAA", "+short").trim()).toBe("fd01:b::1:8000:2");
    const nx = dig("missing.mesos", "A");
    expect(nx).toContain("status: NXDOMAIN");
    expect(nx).toMatch(/mesos\.\s+60\s+IN\s+SOA\s+ns1\.mesos\. root\.ns1\.mesos\./);
    expect(dig("leader.mesos", "+bufsize=1232")).toContain("udp: 1232");
  });
});
