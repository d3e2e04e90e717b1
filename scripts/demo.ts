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

const status = await main(["serve", `-config=${configPath}`]);
await master.stop();
process.exit(status);
