/** The task pass (`_task-pass.ts`), through its public entry `generateRecords()`. */
import { describe, expect, test } from "bun:test";
import { taskHash } from "../../../src/core/records/task-hash.ts";
import { dump, framework, generate, netinfoStatus, state, task } from "../_mesos-builders.ts";

const onlyMarathon = (name: string) => name.includes("marathon");

describe("generateRecords() task pass", () => {
  test("generateRecords() gives an IPv6 task IP AAAA records under the app and canonical names, the agent's A under .slave", () => {
    const t = task({ id: "v6.1", name: "v6", statuses: [netinfoStatus(1, "fd00::5")] });
    const canonical = `v6-${taskHash("v6.1")}-s1`;
    expect(
      dump(generate({ state: state({ frameworks: [framework({ tasks: [t] })] }) }), onlyMarathon),
    ).toEqual(
      [
        `${canonical}.marathon.mesos. AAAA fd00::5`,
        `${canonical}.marathon.slave.mesos. A 10.0.0.1`,
        "v6.marathon.mesos. AAAA fd00::5",
        "v6.marathon.slave.mesos. A 10.0.0.1",
      ].sort(),
    );
  });

  test("generateRecords() shares the app name between instances and keeps one canonical name each", () => {
    const tasks = [
      task({ id: "web.1", name: "web", statuses: [netinfoStatus(1, "172.17.0.2")] }),
      task({ id: "web.2", name: "web", statuses: [netinfoStatus(1, "172.17.0.3")] }),
    ];
    const records = generate({ state: state({ frameworks: [framework({ tasks })] }) });
    expect(records.a.get("web.marathon.mesos.")).toEqual(["172.17.0.2", "172.17.0.3"]);
    expect(records.a.get("web.marathon.slave.mesos.")).toEqual(["10.0.0.1"]);
    expect(records.a.get(`web-${taskHash("web.1")}-s1.marathon.mesos.`)).toEqual(["172.17.0.2"]);
    expect(records.a.get(`web-${taskHash("web.2")}-s1.marathon.mesos.`)).toEqual(["172.17.0.3"]);
  });

  test("generateRecords() warns once for an app whose name has no DNS label, however many instances it has", () => {
    const tasks = [
      task({ id: "a.1", name: "%%" }),
      task({ id: "a.2", name: "%%" }),
      task({ id: "a.3", name: "%%" }),
    ];
    const records = generate({ state: state({ frameworks: [framework({ tasks })] }) });
    expect(records.warnings.filter((w) => w.includes("no valid DNS label"))).toEqual([
      'framework "marathon" task "%%": name "" has no valid DNS label; task records skipped (reported once per name)',
    ]);
    expect(dump(records, onlyMarathon)).toEqual([]);
  });

  test("generateRecords() gives a task without ports or DiscoveryInfo no SRV records", () => {
    const records = generate({
      state: state({ frameworks: [framework({ tasks: [task({ name: "plain" })] })] }),
    });
    expect([...records.srv.keys()].filter(onlyMarathon)).toEqual([]);
    expect(records.a.get("plain.marathon.mesos.")).toEqual(["10.0.0.1"]);
  });

  test("generateRecords() publishes host ports of a DiscoveryInfo task under .slave only, and skips a DiscoveryInfo port above 65535", () => {
    const t = task({
      id: "api.1",
      name: "api",
      ports: [31000],
      discovery: {
        name: "api",
        ports: [
          { number: 8080, protocol: "tcp", name: "" },
          { number: 70000, protocol: "tcp", name: "" },
        ],
      },
    });
    const canonical = `api-${taskHash("api.1")}-s1`;
    const records = generate({ state: state({ frameworks: [framework({ tasks: [t] })] }) });
    expect(dump(records, (n) => onlyMarathon(n) && n.startsWith("_"))).toEqual([
      `_api._tcp.marathon.mesos. SRV ${canonical}.marathon.mesos.:8080`,
      `_api._tcp.marathon.slave.mesos. SRV ${canonical}.marathon.slave.mesos.:31000`,
      `_api._udp.marathon.slave.mesos. SRV ${canonical}.marathon.slave.mesos.:31000`,
    ]);
  });
});
