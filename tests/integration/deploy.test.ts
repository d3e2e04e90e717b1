/**
 * The deployment material in deploy/ stays in step with the code: the example config holds
 * every setting at its default and loads cleanly, the Marathon app health-checks the right
 * endpoint, and the systemd unit binds port 53 by capability.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defaultConfig } from "../../src/core/config/config.ts";
import { parseConfigText } from "../../src/core/config/config-parse.ts";
import { validateConfig } from "../../src/core/config/config-validate.ts";
import { ROOT } from "../_server-process.ts";

describe("deployment material", () => {
  const deploy = (name: string) => readFileSync(join(ROOT, "deploy", name), "utf8");

  test("deploy/config.example.json sets every key to its default except the masters and zk", () => {
    const parsed = parseConfigText(deploy("config.example.json"), "config.example.json");
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.warnings).toEqual([]);
    expect(validateConfig(parsed.config, "config.example.json")).toBeUndefined();
    const written = new Set(
      Object.keys(JSON.parse(deploy("config.example.json"))).map((k) => k.toLowerCase()),
    );
    // File and SOASerial are computed at start-up; a value in the file would be overwritten.
    const expectedKeys = Object.keys(defaultConfig()).filter((k) => k !== "File" && k !== "SOASerial");
    expect(expectedKeys.filter((k) => !written.has(k.toLowerCase()))).toEqual([]);
    const { Masters, Zk, ...rest } = parsed.config;
    const { Masters: _m, Zk: _z, ...defaults } = defaultConfig();
    expect(Masters?.length).toBeGreaterThan(0);
    expect(Zk).toStartWith("zk://");
    expect(rest).toEqual(defaults);
  });

  test("deploy/marathon.json health-checks /health on the HTTP port", () => {
    const app = JSON.parse(deploy("marathon.json")) as {
      cmd: string;
      healthChecks: { path: string; port: number }[];
    };
    expect(app.cmd).toContain("-config=");
    expect(app.healthChecks.map((h) => `${h.path}:${h.port}`)).toEqual([
      `/health:${defaultConfig().HttpPort}`,
    ]);
  });

  test("deploy/mesos-dns.service binds port 53 by capability, not as root", () => {
    const unit = deploy("mesos-dns.service");
    for (const line of [
      "AmbientCapabilities=CAP_NET_BIND_SERVICE",
      "DynamicUser=yes",
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
    ]) {
      expect(unit).toContain(`\n${line}\n`);
    }
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=yes/m);
  });
});
