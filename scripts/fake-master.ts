/**
 * A fake Mesos master for tests and demos, speaking the real HTTP API.
 *
 * ```sh
 * npx bun scripts/fake-master.ts --state tests/fixtures/state.json [--host 127.0.0.1] [--port 5050] [--leader self|HOST:PORT]
 * npx bun scripts/fake-master.ts --state FILE --count 3 --zk zk://127.0.0.1:2181/mesos   # a cluster, ports picked freely
 * ```
 *
 * Other flags: `--tls-cert FILE --tls-key FILE` (HTTPS), `--basic PRINCIPAL:SECRET` (require Basic auth).
 *
 * Importable: `startFakeMaster(options)` for one master, `startFakeCluster(options)` for several
 * registered in ZooKeeper, `startFakeIam(options)` for a DC/OS IAM login endpoint.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startFakeCluster } from "./_fake-master-cluster.ts";
import { type FakeMasterOptions, startFakeMaster } from "./_fake-master-server.ts";

export type { FakeIam, FakeIamOptions } from "./_fake-iam.ts";
export { LOGIN_PATH, startFakeIam } from "./_fake-iam.ts";
export type { FakeCluster, FakeClusterOptions } from "./_fake-master-cluster.ts";
export { startFakeCluster } from "./_fake-master-cluster.ts";
export type {
  FakeBehaviour,
  FakeMaster,
  FakeMasterOptions,
  SeenRequest,
} from "./_fake-master-server.ts";
export { startFakeMaster } from "./_fake-master-server.ts";
export type { MasterInfoJson, ZkRegistrar } from "./_fake-master-zk.ts";
export { connectRegistrar, masterInfoFor } from "./_fake-master-zk.ts";

const USAGE = `usage: bun scripts/fake-master.ts --state FILE [--host 127.0.0.1] [--port 5050] [--leader self|HOST:PORT]
       [--count N --zk zk://HOST:PORT/PATH] [--tls-cert FILE --tls-key FILE] [--basic PRINCIPAL:SECRET]`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      state: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "5050" },
      leader: { type: "string", default: "self" },
      count: { type: "string", default: "1" },
      zk: { type: "string" },
      "tls-cert": { type: "string" },
      "tls-key": { type: "string" },
      basic: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.state) throw new Error(`--state is required\n${USAGE}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid --port "${values.port}": want an integer 0-65535`);
  }
  let state: unknown;
  try {
    state = JSON.parse(readFileSync(values.state, "utf8"));
  } catch (error) {
    throw new Error(`Cannot read state file "${values.state}": ${(error as Error).message}`);
  }
  const common: FakeMasterOptions = {
    state,
    host: values.host,
    ...(values["tls-cert"] && values["tls-key"]
      ? { tls: { certFile: values["tls-cert"], keyFile: values["tls-key"] } }
      : {}),
    ...(values.basic ? { basicAuth: splitCredentials(values.basic) } : {}),
  };
  const count = Number(values.count);
  let stopAll: () => Promise<void>;
  if (count > 1 || values.zk) {
    const zk = values.zk ? splitZk(values.zk) : undefined;
    const cluster = await startFakeCluster({ ...common, count, ...(zk ? { zk } : {}) });
    for (const m of cluster.masters) console.log(`fake master listening on ${m.url}`);
    stopAll = () => cluster.stop();
  } else {
    const master = await startFakeMaster({ ...common, port, leader: values.leader });
    console.log(`fake master listening on ${master.url}`);
    stopAll = () => master.stop();
  }
  const stop = () => {
    void stopAll().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

function splitCredentials(value: string): { principal: string; secret: string } {
  const colon = value.indexOf(":");
  if (colon < 0) throw new Error(`Invalid --basic "${value}": want PRINCIPAL:SECRET`);
  return { principal: value.slice(0, colon), secret: value.slice(colon + 1) };
}

function splitZk(value: string): { servers: string; path: string } {
  const m = /^zk:\/\/([^/]+)(\/.+)$/.exec(value);
  if (!m?.[1] || !m[2]) throw new Error(`Invalid --zk "${value}": want zk://HOST:PORT/PATH`);
  return { servers: m[1], path: m[2] };
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
