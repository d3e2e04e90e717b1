import { describe, expect, test } from "bun:test";
import { parseStateText } from "../../../src/core/mesos/state.ts";
import type { MesosState } from "../../../src/core/mesos/state-model.ts";
import { taskHash } from "../../../src/core/records/task-hash.ts";
import { dump, framework, generate, netinfoStatus, state, status, task } from "../_mesos-builders.ts";

describe("generateRecords() task records (docs/spec.md §5.8)", () => {
  const nginx = task({
    id: "nginx.48dccce7-90bc-11e6-ae70-70b3d5800001",
    name: "nginx",
    slaveId: "20161011-S1",
    ports: [7564],
    discovery: { name: "nginx", ports: [{ number: 7564, protocol: "tcp", name: "nginx" }] },
  });
  const s = (...tasks: MesosState["frameworks"][number]["tasks"]) =>
    state({
      frameworks: [framework({ tasks })],
      slaves: [{ id: "20161011-S1", pid: { host: "10.10.0.93", port: 5051 } }],
    });

  test("generateRecords() reproduces the docs/spec.md §5.8 worked example", () => {
    expect(dump(generate({ state: s(nginx) }), (n) => n.includes("nginx"))).toEqual([
      "_nginx._nginx._tcp.marathon.mesos. SRV nginx-jhy6r-s1.marathon.mesos.:7564",
      "_nginx._tcp.marathon.mesos. SRV nginx-jhy6r-s1.marathon.mesos.:7564",
      "_nginx._tcp.marathon.slave.mesos. SRV nginx-jhy6r-s1.marathon.slave.mesos.:7564",
      "_nginx._udp.marathon.slave.mesos. SRV nginx-jhy6r-s1.marathon.slave.mesos.:7564",
      "nginx-jhy6r-s1.marathon.mesos. A 10.10.0.93",
      "nginx-jhy6r-s1.marathon.slave.mesos. A 10.10.0.93",
      "nginx.marathon.mesos. A 10.10.0.93",
      "nginx.marathon.slave.mesos. A 10.10.0.93",
    ]);
  });

  test("generateRecords() lists enumeration records in emission order", () => {
    const records = generate({ state: s(nginx) }).enumeration.frameworks[0]!.tasks[0]!.records;
    expect(records.map((r) => `${r.rtype} ${r.name}`)).toEqual([
      "A nginx.marathon.mesos.",
      "A nginx-jhy6r-s1.marathon.mesos.",
      "A nginx.marathon.slave.mesos.",
      "A nginx-jhy6r-s1.marathon.slave.mesos.",
      "SRV _nginx._tcp.marathon.slave.mesos.",
      "SRV _nginx._udp.marathon.slave.mesos.",
      "SRV _nginx._tcp.marathon.mesos.",
      "SRV _nginx._nginx._tcp.marathon.mesos.",
    ]);
  });

  test("generateRecords() gives host-port SRVs under both names without DiscoveryInfo, and task IPs", () => {
    const t = task({ name: "web", ports: [31000], statuses: [netinfoStatus(1, "172.17.0.2")] });
    expect(dump(generate({ state: state({ frameworks: [framework({ tasks: [t] })] }) }))).toEqual(
      [
        "_web._tcp.marathon.mesos. SRV web-wn5mc-s1.marathon.slave.mesos.:31000",
        "_web._tcp.marathon.slave.mesos. SRV web-wn5mc-s1.marathon.slave.mesos.:31000",
        "_web._udp.marathon.mesos. SRV web-wn5mc-s1.marathon.slave.mesos.:31000",
        "_web._udp.marathon.slave.mesos. SRV web-wn5mc-s1.marathon.slave.mesos.:31000",
        "ns1.mesos. A 127.0.0.1",
        "slave.mesos. A 10.0.0.1",
        "_slave._tcp.mesos. SRV slave.mesos.:5051",
        "web-wn5mc-s1.marathon.mesos. A 172.17.0.2",
        "web-wn5mc-s1.marathon.slave.mesos. A 10.0.0.1",
        "web.marathon.mesos. A 172.17.0.2",
        "web.marathon.slave.mesos. A 10.0.0.1",
      ].sort(),
    );
  });

  test("generateRecords() makes tcp and udp DiscoveryInfo SRVs when the protocol is empty, and none for an empty port name in RFC 952 mode", () => {
    const t = task({
      name: "x",
      discovery: { name: "svc", ports: [{ number: 80, protocol: "", name: "8080" }] },
    });
    const srv = (rfc952: boolean) =>
      dump(
        generate({
          state: state({ frameworks: [framework({ tasks: [t] })] }),
          config: { EnforceRFC952: rfc952 },
        }),
      )
        .filter((line) => line.includes(" SRV ") && !line.includes("slave.mesos.:5051"))
        .map((line) => line.split(" ")[0]);
    expect(srv(false)).toEqual([
      "_8080._svc._tcp.marathon.mesos.",
      "_8080._svc._udp.marathon.mesos.",
      "_svc._tcp.marathon.mesos.",
      "_svc._udp.marathon.mesos.",
    ]);
    expect(srv(true)).toEqual(["_svc._tcp.marathon.mesos.", "_svc._udp.marathon.mesos."]);
  });

  test("generateRecords() adds raw DiscoveryInfo names that are valid DNS, and not others", () => {
    const t1 = task({ id: "1", name: "a", discovery: { name: "liquor.store", ports: [] } });
    const t2 = task({ id: "2", name: "b", discovery: { name: "My App", ports: [] } });
    const names = [...generate({ state: state({ frameworks: [framework({ tasks: [t1, t2] })] }) }).a.keys()];
    expect(names).toContain("liquor.store.marathon.mesos.");
    expect(names).toContain("liquor-store.marathon.mesos.");
    expect(names).toContain("myapp.marathon.mesos.");
    expect(names.some((n) => n.includes(" ") || /[A-Z]/.test(n))).toBe(false);
  });

  test("generateRecords() counts only running tasks on known agents", () => {
    const tasks = [
      task({ id: "1", name: "staging", state: "TASK_STAGING" }),
      task({ id: "2", name: "lost", slaveId: "unknown-S9" }),
      task({ id: "3", name: "ok" }),
    ];
    const records = generate({ state: state({ frameworks: [framework({ tasks })] }) });
    expect(records.enumeration.frameworks[0]!.tasks.map((t) => t.name)).toEqual(["ok"]);
    expect([...records.a.keys()].some((n) => n.startsWith("staging") || n.startsWith("lost"))).toBe(false);
  });

  test("generateRecords() lists a record in the enumeration only under the task that added it first", () => {
    const tasks = [task({ id: "1", name: "web", ports: [1] }), task({ id: "2", name: "web", ports: [1] })];
    const e = generate({ state: state({ frameworks: [framework({ tasks })] }) }).enumeration.frameworks[0]!;
    const first = e.tasks[0]!.records.map((r) => r.name);
    const second = e.tasks[1]!.records.map((r) => r.name);
    expect(first).toContain("web.marathon.mesos.");
    expect(second).not.toContain("web.marathon.mesos.");
    expect(second.some((n) => n.startsWith("web-"))).toBe(true);
  });

  test("generateRecords() keeps SRV values distinct when tasks share a canonical name, an agent has no IP or ports repeat", () => {
    // Both agents end in "-S1", so the tasks below share canonical names; x has no IP.
    const slaves = [
      { id: "x-S1", pid: { host: "noip.example", port: 5051 } },
      { id: "y-S1", pid: { host: "10.0.0.2", port: 5051 } },
    ];
    const tasks = [
      task({ id: "a", name: "web", slaveId: "x-S1", ports: [1, 2] }),
      task({ id: "a", name: "web", slaveId: "y-S1", ports: [1, 2] }),
      task({ id: "a", name: "web", slaveId: "y-S1", ports: [3, 3] }),
    ];
    const records = generate({ state: state({ frameworks: [framework({ tasks })], slaves }) });
    const target = `web-${taskHash("a")}-s1.marathon.slave.mesos.`;
    for (const name of [
      "_web._tcp.marathon.slave.mesos.",
      "_web._udp.marathon.slave.mesos.",
      "_web._tcp.marathon.mesos.",
    ]) {
      expect(records.srv.get(name)).toEqual([`${target}:1`, `${target}:2`, `${target}:3`]);
    }
    for (const map of [records.a, records.aaaa, records.srv])
      for (const values of map.values()) expect(new Set(values).size).toBe(values.length);
    const [first, second, third] = records.enumeration.frameworks[0]!.tasks.map((t) =>
      t.records.filter((r) => r.rtype === "SRV").map((r) => r.host),
    );
    expect(first).toHaveLength(8);
    expect(second).toEqual([]);
    expect(third).toEqual(Array(4).fill(`${target}:3`));
  });

  test("generateRecords() lists every framework in the enumeration, even without tasks", () => {
    const e = generate({ state: state({ frameworks: [framework({ name: "empty" })] }) }).enumeration;
    expect(e).toEqual({ frameworks: [{ name: "empty", tasks: [] }] });
  });

  test("generateRecords() builds no enumeration when EnumerationOn is false", () => {
    const e = generate({ state: s(nginx), config: { EnumerationOn: false } }).enumeration;
    expect(e).toEqual({ frameworks: [] });
  });

  test("generateRecords() skips a framework whose name has no DNS label, with a warning", () => {
    const records = generate({ state: state({ frameworks: [framework({ name: "$$$", tasks: [task()] })] }) });
    expect(dump(records).some((line) => line.includes(".."))).toBe(false);
    expect(records.warnings).toEqual(['framework "$$$": name has no DNS label; its task records skipped']);
  });

  test("generateRecords() skips a task whose name has no DNS label, with a warning", () => {
    const records = generate({
      state: state({ frameworks: [framework({ tasks: [task({ name: "%%" })] })] }),
    });
    expect([...records.a.keys()].filter((n) => n.includes("marathon"))).toEqual([]);
    expect(records.warnings[0]).toContain("has no valid DNS label");
  });

  test("generateRecords() keeps names up to 63-octet labels and skips longer canonical names", () => {
    const long = "a".repeat(60);
    const records = generate({
      state: state({ frameworks: [framework({ tasks: [task({ name: long, ports: [1] })] })] }),
    });
    expect(records.a.get(`${long}.marathon.mesos.`)).toEqual(["10.0.0.1"]);
    expect([...records.a.keys(), ...records.srv.keys()].some((n) => n.includes(`${long}-`))).toBe(false);
    expect(records.srv.size).toBe(1); // only _slave._tcp: the SRVs would target the too-long name
    expect(records.warnings).toHaveLength(1);
  });

  test("generateRecords() sanitises the agent-id tail of canonical names", () => {
    const t = task({ slaveId: "agent-S1$x" });
    const records = generate({
      state: state({
        frameworks: [framework({ tasks: [t] })],
        slaves: [{ id: "agent-S1$x", pid: { host: "10.0.0.1", port: 1 } }],
      }),
    });
    expect([...records.a.keys()].filter((n) => n.startsWith("app-"))).toEqual([
      "app-wn5mc-s1x.marathon.mesos.",
      "app-wn5mc-s1x.marathon.slave.mesos.",
    ]);
  });

  test("generateRecords() keeps an all-digit agent-id tail in RFC 952 mode", () => {
    const t = task({ name: "web", slaveId: "20140803-2410-0" });
    const records = generate({
      state: state({
        frameworks: [framework({ tasks: [t] })],
        slaves: [{ id: "20140803-2410-0", pid: { host: "10.0.0.1", port: 1 } }],
      }),
      config: { EnforceRFC952: true },
    });
    expect(records.a.get("web-wn5mc-0.marathon.mesos.")).toEqual(["10.0.0.1"]);
  });

  test("generateRecords() skips a raw DiscoveryInfo name with a label over 63 octets but keeps the sanitised one", () => {
    const raw = `${"a".repeat(64)}.b`;
    const t = task({ name: "x", discovery: { name: raw, ports: [] } });
    const records = generate({ state: state({ frameworks: [framework({ tasks: [t] })] }) });
    const names = [...records.a.keys()].filter((n) => n.includes("marathon"));
    expect(names).toContain(`${"a".repeat(63)}.marathon.mesos.`);
    expect(names.some((n) => n.includes(raw))).toBe(false);
  });

  test("generateRecords() skips a DiscoveryInfo SRV whose protocol label would exceed 63 octets", () => {
    const t = task({
      name: "x",
      discovery: { name: "svc", ports: [{ number: 80, protocol: "p".repeat(63), name: "" }] },
    });
    const records = generate({ state: state({ frameworks: [framework({ tasks: [t] })] }) });
    expect([...records.srv.keys()].filter((n) => n.includes("svc"))).toEqual([]);
    expect(records.warnings.some((w) => w.includes("label longer than 63 octets"))).toBe(true);
  });

  test("generateRecords() gives an agent whose host has no IP no .slave records, and warns", () => {
    const records = generate({
      state: state({
        frameworks: [framework({ tasks: [task({ statuses: [status({ networkIps: ["10.9.9.9"] })] })] })],
        slaves: [{ id: "agent-S1", pid: { host: "unresolved.example", port: 5051 } }],
      }),
    });
    expect(dump(records, (n) => n.includes("marathon"))).toEqual([
      "app-wn5mc-s1.marathon.mesos. A 10.9.9.9",
      "app.marathon.mesos. A 10.9.9.9",
    ]);
    expect(records.warnings[0]).toContain('agent "agent-S1"');
  });
});

describe("generateRecords() host-port bounds", () => {
  test("generateRecords() publishes at most 1024 host ports per task, and the state warning names the task", () => {
    const ports = `[${Array.from({ length: 300 }, () => "1-65535").join(", ")}]`;
    const text = JSON.stringify({
      leader: "master@10.0.0.9:5050",
      frameworks: [
        {
          name: "marathon",
          tasks: [
            { id: "web.1", name: "web", slave_id: "a-S1", state: "TASK_RUNNING", resources: { ports } },
          ],
        },
      ],
      slaves: [{ id: "a-S1", pid: "slave(1)@10.0.0.1:5051" }],
    });
    const parsed = parseStateText(text);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.warnings).toEqual([
      'framework "marathon" task "web": more than 1024 distinct ports (65535); the last 64511 skipped',
    ]);
    const records = generate({ state: parsed.state });
    const srv = records.srv.get("_web._tcp.marathon.slave.mesos.") ?? [];
    expect(srv).toHaveLength(1024);
    expect(srv[0]).toEndWith(":1");
    expect(srv[1023]).toEndWith(":1024");
  });
});
