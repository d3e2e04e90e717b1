/**
 * The README's main command (`npm start`): a built-in demo cluster. It starts the fake
 * Mesos master (our own TypeScript, speaking the real master HTTP API) with the bundled
 * example state, then runs Mesos-DNS against it on 127.0.0.1:8053 (DNS) and
 * 127.0.0.1:8123 (HTTP), so `dig @127.0.0.1 -p 8053 nginx.marathon.mesos` answers at once.
 *
 * Options: `--dns-port N`, `--http-port N`, `--master-port N` (0 = any free port).
 *
 * @module
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { main } from "../src/main.ts";
import { ask } from "../tests/_dns-client.ts";
import { startFakeMaster } from "./fake-master.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    "dns-port": { type: "string", default: "8053" },
    "http-port": { type: "string", default: "8123" },
    "master-port": { type: "string", default: "0" },
  },
});

const statePath = join(import.meta.dir, "..", "tests", "fixtures", "fake-state.json");
const master = await startFakeMaster({
  state: JSON.parse(readFileSync(statePath, "utf8")),
  port: Number(values["master-port"]),
});
console.log(`demo: fake Mesos master on ${master.url} serving ${statePath}`);

const config = {
  masters: [master.hostPort],
  refreshSeconds: 5,
  port: Number(values["dns-port"]),
  httpport: Number(values["http-port"]),
  listener: "127.0.0.1",
  httplistener: "127.0.0.1",
  // Empty: forward outside names to the nameservers of /etc/resolv.conf, as upstream does.
  resolvers: [],
};
const dir = mkdtempSync(join(tmpdir(), "mesos-dns-demo-"));
const configPath = join(dir, "config.json");
writeFileSync(configPath, JSON.stringify(config, null, 2));
console.log(`demo: config ${configPath}`);
console.log(`demo: try  dig @127.0.0.1 -p ${config.port} nginx.marathon.mesos`);
console.log(`demo:      dig @127.0.0.1 -p ${config.port} _liquor-store._tcp.marathon.mesos SRV`);
console.log(`demo:      curl http://127.0.0.1:${config.httpport}/v1/services/_leader._tcp.mesos`);
console.log(
  `demo: launch a task: curl -X POST -d '{"framework":"marathon","name":"hello","ports":"[31000-31000]"}' ${master.url}/fake/tasks`,
);
console.log(`demo: kill it:       curl -X DELETE ${master.url}/fake/tasks/<id>`);
console.log(
  `demo: watch events:  curl -N -X POST -H 'Content-Type: application/json' -d '{"type":"SUBSCRIBE"}' ${master.url}/api/v1`,
);

const serving = main(["serve", `-config=${configPath}`]);
void showFreshness().catch((error: unknown) => {
  console.log(`demo: the freshness check did not run: ${error instanceof Error ? error.message : error}`);
});
const status = await serving;
await master.stop();
process.exit(status);

/**
 * Once the server follows the event stream, launches a task at the fake master and times how
 * long its name takes to answer over DNS, then kills it and times the NXDOMAIN.
 */
async function showFreshness(): Promise<void> {
  const ready = `http://127.0.0.1:${config.httpport}/ready`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const body = await fetch(ready).then(
      (r) => r.text(),
      () => "",
    );
    if (body.includes('"source":"events"')) break;
    if (Date.now() > deadline) throw new Error("the event stream did not become live within 20 s");
    await Bun.sleep(50);
  }
  const agent = "20140803-125133-3041283216-5050-2410-0";
  const id = `hello.${crypto.randomUUID()}`;
  const name = "hello.marathon.mesos";
  const started = performance.now();
  master.launchTask("marathon", {
    id,
    name: "hello",
    slave_id: agent,
    state: "TASK_RUNNING",
    resources: { ports: "[31999-31999]" },
    statuses: [{ state: "TASK_RUNNING", timestamp: Date.now() / 1000 }],
  });
  await untilRcode(name, "NOERROR");
  const launched = performance.now() - started;
  const killed = performance.now();
  master.updateTask(id, "TASK_KILLED");
  await untilRcode(name, "NXDOMAIN");
  const gone = performance.now() - killed;
  console.log(
    `demo: launched task "hello" at the fake master: ${name} answered after ${launched.toFixed(1)} ms; ` +
      `killed: NXDOMAIN after ${gone.toFixed(1)} ms (event stream; refreshSeconds is ${config.refreshSeconds})`,
  );
}

async function untilRcode(name: string, rcode: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const reply = await ask("127.0.0.1", config.port, name, "A");
    if (reply?.rcode === rcode && (rcode !== "NOERROR" || reply.answers.length > 0)) return;
    await Bun.sleep(1);
  }
  throw new Error(`${name} did not become ${rcode} within 10 s`);
}
