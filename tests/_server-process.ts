/**
 * Runs Mesos-DNS as a real process under one of the four ways users run it: Bun from
 * source, Deno from source, Node.js from the bundle, or the compiled executable.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "..");
export const SHARED = join(ROOT, "..", "shared");
export const BIN = join(ROOT, "node_modules", ".bin");

export type Runtime = "bun" | "deno" | "node" | "binary";

/**
 * Deno's permissions for serving: network, reading the config (and resolv.conf, TLS files),
 * environment (consola reads a few variables, `~/` needs HOME) and the interface list
 * (listener 0.0.0.0 self records and the resolv.conf fallback).
 */
export const DENO_FLAGS = ["--allow-net", "--allow-read", "--allow-env", "--allow-sys=networkInterfaces"];

/** The command line that runs the server with `args` under `runtime`. */
export function serverCommand(
  runtime: Runtime,
  args: string[],
  nodeBundle?: string,
  binary?: string,
): string[] {
  switch (runtime) {
    case "bun":
      return [join(BIN, "bun"), "run", join(ROOT, "mod.ts"), ...args];
    case "deno":
      return [join(BIN, "deno"), "run", ...DENO_FLAGS, join(ROOT, "mod.ts"), ...args];
    case "node":
      if (!nodeBundle) throw new Error("node needs a bundle path");
      return ["node", nodeBundle, ...args];
    case "binary":
      if (!binary) throw new Error("binary needs an executable path");
      return [binary, ...args];
  }
}

export interface ServerProcess {
  readonly child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Writes `config` to a temp file and starts the server on it. */
export function startServer(
  runtime: Runtime,
  config: object,
  paths: { nodeBundle?: string; binary?: string } = {},
): ServerProcess {
  const dir = mkdtempSync(join(tmpdir(), "mesos-dns-test-"));
  const configPath = join(dir, "config.json");
  writeFileSync(configPath, JSON.stringify(config));
  const [cmd, ...rest] = serverCommand(runtime, [`-config=${configPath}`], paths.nodeBundle, paths.binary);
  const child = spawn(cmd!, rest, {
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
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => out,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The conformance configuration of ../shared/conformance/README.md, with our ports. */
export function conformanceConfig(ports: { dns: number; http: number; resolver: number; master?: string }) {
  return {
    masters: [ports.master ?? "127.0.0.1:5050"],
    refreshSeconds: 5,
    ttl: 60,
    domain: "mesos",
    port: ports.dns,
    resolvers: [`127.0.0.1:${ports.resolver}`],
    timeout: 5,
    listener: "127.0.0.1",
    httplistener: "127.0.0.1",
    httpport: ports.http,
    SOAMname: "ns1.mesos",
    SOARname: "root.ns1.mesos",
    SOARefresh: 60,
    SOARetry: 600,
    SOAExpire: 86400,
    SOAMinttl: 60,
    dnson: true,
    httpon: true,
    externalon: true,
    recurseon: true,
    srvRecordDefaultWeight: 1,
    IPSources: ["netinfo", "mesos", "host"],
    EnforceRFC952: false,
    EnumerationOn: true,
    zkDetectionTimeout: 30,
  };
}

/** True when ../shared is beside the project (CI always has it). */
export function haveShared(): boolean {
  return existsSync(join(SHARED, "conformance", "answers-fake.tsv"));
}

/**
 * Decides whether a test needing an external thing may run. Outside CI a missing thing
 * skips with the reason printed; under CI=true it is a failure.
 */
export function requireOrSkip(ok: boolean, reason: string): boolean {
  if (ok) return true;
  if (process.env.CI === "true") throw new Error(`required under CI: ${reason}`);
  console.warn(`skipped: ${reason}`);
  return false;
}
