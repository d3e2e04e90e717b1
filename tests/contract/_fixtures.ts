/**
 * Fixtures the runners start before the cases (in the Bun test process): a test CA and
 * server certificate made with `openssl`, an HTTPS server signed by it, a TCP "blackhole"
 * (a python3 listener with a full accept queue, so SYNs are dropped) and a ZooKeeper server
 * (Debian's `zookeeper` package). Cases find them through the environment variables of
 * `FIXTURE_ENV`.
 *
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { startZooKeeper, zookeeperMissing } from "../_zookeeper.ts";
import { type ContractCase, FIXTURE_ENV, type Fixture } from "./_case-kit.ts";

const installed = (tool: string) => (Bun.which(tool) === null ? `${tool} is not installed` : undefined);

/** Why each fixture cannot start here, or undefined when it can. */
const MISSING: Record<Fixture, () => string | undefined> = {
  tls: () => installed("openssl"),
  blackhole: () => installed("python3"),
  zookeeper: zookeeperMissing,
};

/** Why `c` cannot run here (a missing tool), or undefined when it can. */
export function missingTool(c: ContractCase): string | undefined {
  for (const need of c.needs ?? []) {
    const missing = MISSING[need]();
    if (missing !== undefined) return `${missing} (needed for the ${need} fixture)`;
  }
  return undefined;
}

export interface Fixtures {
  readonly dir: string;
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

function run(cmd: string[], cwd: string): void {
  const out = Bun.spawnSync(cmd, { cwd, stdout: "pipe", stderr: "pipe" });
  if (out.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed: ${out.stderr.toString()}`);
}

function makeCertificates(dir: string): void {
  const subj = (cn: string) => ["-subj", `/CN=${cn}`];
  const ca = [
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ];
  run(
    [
      "openssl",
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "2",
      ...subj("Contract Test CA"),
      ...ca,
    ],
    dir,
  );
  run(
    [
      "openssl",
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "other.key",
      "-out",
      "other.pem",
      "-days",
      "2",
      ...subj("Other Test CA"),
      ...ca,
    ],
    dir,
  );
  run(
    [
      "openssl",
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "server.key",
      "-out",
      "server.csr",
      ...subj("localhost"),
    ],
    dir,
  );
  writeFileSync(
    join(dir, "server.ext"),
    "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
  );
  run(
    [
      "openssl",
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "server.pem",
      "-days",
      "2",
      "-extfile",
      "server.ext",
    ],
    dir,
  );
}

const BLACKHOLE = `
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)
port = s.getsockname()[1]
held = []
for _ in range(3):
    c = socket.socket(); c.setblocking(False)
    try: c.connect(("127.0.0.1", port))
    except BlockingIOError: pass
    held.append(c)
time.sleep(0.1)
print(port, flush=True)
sys.stdin.read()
`;

async function startBlackhole(): Promise<{ port: number; proc: Subprocess<"pipe", "pipe", "inherit"> }> {
  const proc = Bun.spawn(["python3", "-c", BLACKHOLE], { stdin: "pipe", stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.getReader();
  const { value } = await reader.read();
  reader.releaseLock();
  const port = Number(new TextDecoder().decode(value).trim());
  if (!(port > 0)) throw new Error("the python3 blackhole did not report a port");
  return { port, proc };
}

/** Starts every fixture whose tool exists; the env always carries the marker. */
export async function startFixtures(): Promise<Fixtures> {
  const dir = mkdtempSync(join(tmpdir(), "contract-"));
  const env: Record<string, string> = { [FIXTURE_ENV.marker]: "present" };
  const stops: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  if (Bun.which("openssl") !== null) {
    makeCertificates(dir);
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      tls: { cert: Bun.file(join(dir, "server.pem")), key: Bun.file(join(dir, "server.key")) },
      fetch: () => new Response("secure hello"),
    });
    stops.unshift(() => server.stop(true));
    env[FIXTURE_ENV.httpsUrl] = `https://127.0.0.1:${server.port}/`;
    env[FIXTURE_ENV.caFile] = join(dir, "ca.pem");
    env[FIXTURE_ENV.otherCaFile] = join(dir, "other.pem");
  }
  if (Bun.which("python3") !== null) {
    const hole = await startBlackhole();
    stops.unshift(async () => {
      hole.proc.stdin.end();
      hole.proc.kill();
      await hole.proc.exited;
    });
    env[FIXTURE_ENV.blackholePort] = String(hole.port);
  }
  if (MISSING.zookeeper() === undefined) {
    const zk = await startZooKeeper();
    stops.unshift(() => zk.dispose());
    env[FIXTURE_ENV.zkServers] = zk.servers;
  }
  return {
    dir,
    env,
    async stop() {
      for (const stop of stops) await stop();
    },
  };
}
