/**
 * A fake Mesos master for tests and demos, speaking the real HTTP API.
 *
 * ```sh
 * npx bun scripts/fake-master.ts --state tests/fixtures/state.json [--host 127.0.0.1] [--port 5050] [--leader self|HOST:PORT]
 * npx bun scripts/fake-master.ts --state FILE --count 3 --zk zk://127.0.0.1:2181/mesos   # a cluster, ports picked freely
 * ```
 *
 * Other flags: `--tls-cert FILE --tls-key FILE` (HTTPS), `--basic PRINCIPAL:SECRET` (require Basic auth),
 * `--heartbeat-seconds N` (operator API heartbeat interval, default 15).
 *
 * Importable: `startFakeMaster(options)` for one master, `startFakeCluster(options)` for several
 * registered in ZooKeeper, `startFakeIam(options)` for a DC/OS IAM login endpoint.
 *
 * ## Operator API v1 event stream
 *
 * `POST /api/v1` with `{"type":"SUBSCRIBE"}` (`Content-Type: application/json`) answers a
 * RecordIO stream (`<byte length>\n<JSON>` per event) as a Mesos 1.x master does: `SUBSCRIBED`
 * with the current document as v1 `get_state`, then `HEARTBEAT` every `heartbeatSeconds`, and
 * `TASK_ADDED`, `TASK_UPDATED`, `AGENT_ADDED`, `AGENT_REMOVED`, `FRAMEWORK_ADDED`,
 * `FRAMEWORK_UPDATED`, `FRAMEWORK_REMOVED` as the document changes (through `setState` or the
 * task, agent and framework methods of {@link FakeMaster}). A master that does not lead
 * answers 307 to `//<leader>/api/v1`; the option `operatorApi: false | 404 | 405 | 501` makes a
 * master without the operator API. Fault controls: `cutStreams()`, `stallStream(on)`,
 * `sendRaw(bytes)`, `subscriberCount()`.
 *
 * ```sh
 * curl -sN -X POST -H 'Content-Type: application/json' -d '{"type":"SUBSCRIBE"}' http://127.0.0.1:5050/api/v1
 * ```
 *
 * ## Control endpoint (for the demo and for trying the stream by hand; no authentication)
 *
 * - `POST /fake/tasks` with `{"framework":"marathon","name":"hello","ports":"[31000-31000]"}`
 *   (framework by name or id; optional `"agent"`: id or hostname, default the first agent)
 *   launches a `TASK_RUNNING` task with one `TASK_RUNNING` status (timestamp now), id
 *   `<name>.<uuid>`, and answers `{"id": ...}`.
 * - `DELETE /fake/tasks/<id>` kills that task (`TASK_KILLED`; it stays listed, as in Mesos) and
 *   answers `{"id": ..., "state": "TASK_KILLED"}`.
 *
 * ```sh
 * curl -s -X POST -d '{"framework":"marathon","name":"hello","ports":"[31000-31000]"}' http://127.0.0.1:5050/fake/tasks
 * curl -s -X DELETE http://127.0.0.1:5050/fake/tasks/hello.<uuid>
 * ```
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startFakeCluster } from "./_fake-master-cluster.ts";
import { startFakeMaster } from "./_fake-master-server.ts";
import type { FakeMasterOptions } from "./_fake-master-types.ts";

export type { FakeIam, FakeIamOptions } from "./_fake-iam.ts";
export { LOGIN_PATH, startFakeIam } from "./_fake-iam.ts";
export type { FakeCluster, FakeClusterOptions } from "./_fake-master-cluster.ts";
export { startFakeCluster } from "./_fake-master-cluster.ts";
export { CONTROL_PREFIX } from "./_fake-master-control.ts";
export { diffEvents } from "./_fake-master-diff.ts";
export { startFakeMaster } from "./_fake-master-server.ts";
export type { OperatorApiMode } from "./_fake-master-stream.ts";
export { recordIo } from "./_fake-master-stream.ts";
export type {
  FakeBehaviour,
  FakeMaster,
  FakeMasterOptions,
  SeenRequest,
} from "./_fake-master-types.ts";
export type {
  StateAgent,
  StateFramework,
  StateLabel,
  StateStatus,
  StateTask,
  V1Event,
  V1EventType,
  V1Object,
} from "./_fake-master-v1.ts";
export { subscribedEvent, v1Agent, v1Framework, v1GetState, v1Task } from "./_fake-master-v1.ts";
export type { MasterInfoJson, ZkRegistrar } from "./_fake-master-zk.ts";
export { connectRegistrar, masterInfoFor } from "./_fake-master-zk.ts";

const USAGE = `usage: bun scripts/fake-master.ts --state FILE [--host 127.0.0.1] [--port 5050] [--leader self|HOST:PORT]
       [--count N --zk zk://HOST:PORT/PATH] [--tls-cert FILE --tls-key FILE] [--basic PRINCIPAL:SECRET]
       [--heartbeat-seconds N]`;

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
      "heartbeat-seconds": { type: "string", default: "15" },
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
  const heartbeatSeconds = Number(values["heartbeat-seconds"]);
  if (!(heartbeatSeconds > 0)) {
    throw new Error(`Invalid --heartbeat-seconds "${values["heartbeat-seconds"]}": want a number > 0`);
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
    heartbeatSeconds,
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
