import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { runRecordsCommand } from "../../../src/commands/records.ts";
import { defaultConfig } from "../../../src/core/config/config.ts";
import { NetError, type Platform } from "../../../src/core/platform.ts";

const fixture = readFileSync(new URL("../../fixtures/fake-state.json", import.meta.url), "utf8");

/** A platform with just the file, lookup and interface calls the command makes. */
function fakePlatform(files: Record<string, string>, hosts: Record<string, string[]> = {}): Platform {
  const unused = () => Promise.reject(new Error("not used by the records command"));
  return {
    name: "memory",
    bindUdp: unused,
    listenTcp: unused,
    connectTcp: unused,
    serveHttp: unused,
    httpRequest: unused,
    httpStream: unused,
    async lookupHost(host) {
      const ips = hosts[host];
      if (!ips) throw new NetError("NOT_FOUND", `no such host ${host}`);
      return ips;
    },
    async readTextFile(path) {
      const text = files[path];
      if (text === undefined) throw new NetError("NOT_FOUND", `ENOENT: ${path}`);
      return text;
    },
    localAddresses: () => ["192.0.2.10"],
    env: () => undefined,
    cwd: () => "/",
    onSignal: () => {},
    checkTlsMaterial: () => undefined,
  };
}

async function run(
  format: "zone" | "json",
  platform: Platform,
  statePath = "state.json",
  listener = "127.0.0.1",
) {
  let stdout = "";
  const stderr: string[] = [];
  const config = { ...defaultConfig(), Masters: ["127.0.0.1:5050"], Listener: listener, SOASerial: 99 };
  const code = await runRecordsCommand(
    { statePath, config, format },
    { platform, stdout: (text) => (stdout += text), stderr: (line) => stderr.push(line) },
  );
  return { code, stdout, stderr };
}

describe("runRecordsCommand()", () => {
  test("runRecordsCommand() prints the bundled example state as a zone", async () => {
    const result = await run("zone", fakePlatform({ "state.json": fixture }, { localhost: ["127.0.0.1"] }));
    expect(result.code).toBe(0);
    expect(result.stderr).toEqual([]);
    expect(result.stdout).toContain("mesos.\tIN\tSOA\tns1.mesos. root.ns1.mesos. 99 ");
    expect(result.stdout).toContain("leader.mesos.\tIN\tA\t127.0.0.1\n");
    expect(result.stdout).toContain("nopid.mesos.\tIN\tA\t127.0.0.1\n");
  });

  test("runRecordsCommand() prints /v1/axfr JSON and warns about hosts that do not resolve", async () => {
    const result = await run("json", fakePlatform({ "state.json": fixture }));
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.Records.As["leader.mesos."]).toEqual(["127.0.0.1"]);
    expect(body.Records.As["nopid.mesos."]).toBeUndefined();
    expect(result.stderr.some((line) => line.includes('Cannot resolve "localhost"'))).toBe(true);
  });

  test("runRecordsCommand() uses local addresses for listener 0.0.0.0", async () => {
    const result = await run("json", fakePlatform({ "state.json": fixture }), "state.json", "0.0.0.0");
    expect(JSON.parse(result.stdout).Records.As["ns1.mesos."]).toEqual(["192.0.2.10"]);
  });

  test("runRecordsCommand() exits 1 with one line for a missing file", async () => {
    const result = await run("zone", fakePlatform({}), "missing.json");
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: ['Cannot read state file "missing.json": ENOENT: missing.json'],
    });
  });

  test("runRecordsCommand() exits 1 with one line for a file that is not a JSON object", async () => {
    const result = await run("zone", fakePlatform({ "state.json": "[1, 2]" }));
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual([
      'Cannot parse state file "state.json": state is not a JSON object (got array)',
    ]);
  });
});
