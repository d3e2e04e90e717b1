import { describe, expect, test } from "bun:test";
import { defaultConfig } from "../../../src/core/config/config.ts";
import { hostnamesToResolve, parseState, parseStateText } from "../../../src/core/mesos/state.ts";
import type { MesosState } from "../../../src/core/mesos/state-model.ts";
import { generateRecords } from "../../../src/core/records/records.ts";

const agent = { id: "a-S1", pid: "slave(1)@10.0.0.1:5051" };
const runningTask = (over: Record<string, unknown> = {}) => ({
  id: "web.1",
  name: "web",
  slave_id: "a-S1",
  state: "TASK_RUNNING",
  resources: { ports: "[31000-31000]" },
  ...over,
});
const doc = (tasks: unknown[], more: Record<string, unknown> = {}) => ({
  leader: "master@10.0.0.9:5050",
  frameworks: [{ name: "marathon", pid: "scheduler(1)@10.0.0.2:8080", tasks }],
  slaves: [agent],
  ...more,
});

/** Parses and generates; the result must never throw. */
function generate(json: unknown) {
  const { state, warnings } = parseState(json);
  const records = generateRecords({
    state,
    config: defaultConfig(),
    masters: [],
    resolved: new Map(),
    localAddresses: [],
  });
  return { state, warnings, records };
}

describe("parseStateText()", () => {
  test("parseStateText() rejects text that is not JSON with one line", () => {
    const result = parseStateText("{nope");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toStartWith("state is not valid JSON");
  });
  test("parseStateText() rejects JSON that is not an object", () => {
    for (const text of ["[]", "null", "42", '"x"']) expect(parseStateText(text).ok).toBe(false);
  });
  test("parseStateText() survives 10 MB of random bytes", () => {
    const bytes = new Uint8Array(10 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
    const result = parseStateText(new TextDecoder().decode(bytes));
    expect(result.ok).toBe(false);
  });
  test("parseStateText() survives deeply nested JSON (a result either way, never a throw)", () => {
    const result = parseStateText(`{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
    // Bun's JSON.parse takes the depth; the nested value is not a state field, so the state is empty.
    expect(result).toMatchObject({ ok: true, state: { leader: "", frameworks: [], slaves: [] } });
  });
});

describe("parseState()", () => {
  test("parseState() treats {} as an empty state without warnings", () => {
    const { state, warnings, records } = generate({});
    expect(state).toEqual({ leader: "", frameworks: [], slaves: [] });
    expect(warnings).toEqual([]);
    expect(records.a.size + records.aaaa.size + records.srv.size).toBe(0);
  });

  test("parseState() ignores unknown fields and treats null as absent", () => {
    const { state, warnings } = generate(
      doc([runningTask({ name: null, statuses: null, discovery: null, extra: { deep: [1, 2] } })], {
        flags: {},
      }),
    );
    expect(warnings).toEqual([]);
    expect(state.frameworks[0]!.tasks[0]!.name).toBe("");
  });

  test("parseState() skips only the task with a wrong-typed field, naming it", () => {
    const { state, warnings } = generate(
      doc([
        runningTask({ name: "bad", statuses: [{ state: "TASK_RUNNING", timestamp: "1" }] }),
        runningTask(),
      ]),
    );
    expect(state.frameworks[0]!.tasks.map((t) => t.name)).toEqual(["web"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('framework "marathon" task "bad"');
    expect(warnings[0]).toContain("statuses.0.timestamp");
  });

  test("parseState() skips a task with a string discovery port number", () => {
    const bad = runningTask({ name: "di", discovery: { name: "di", ports: { ports: [{ number: "80" }] } } });
    const { state, warnings } = generate(doc([bad]));
    expect(state.frameworks[0]!.tasks).toEqual([]);
    expect(warnings[0]).toContain('task "di"');
  });

  test("parseState() keeps a framework with a bad pid but drops its scheduler address", () => {
    const { state, warnings, records } = generate(
      doc([runningTask()], {
        frameworks: [{ name: "marathon", pid: "nope", hostname: "h", tasks: [runningTask()] }],
      }),
    );
    expect(state.frameworks[0]!.pid).toBeUndefined();
    expect(state.frameworks[0]!.hostname).toBe("");
    expect(warnings).toEqual(['framework "marathon": bad pid "nope"; scheduler records skipped']);
    expect(records.a.get("web.marathon.mesos.")).toEqual(["10.0.0.1"]);
  });

  test("parseState() skips an agent without pid or with a bad pid", () => {
    const { state, warnings } = generate(
      doc([], { slaves: [{ id: "x" }, { id: "y", pid: "a@b@c:1" }, { id: "z", pid: 5 }, agent] }),
    );
    expect(state.slaves.map((s) => s.id)).toEqual(["a-S1"]);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toBe('agent "x": no pid; agent skipped');
  });

  test("parseState() survives wrong types everywhere", () => {
    // Each input with the generator's own warnings: a framework kept without a name gets one;
    // everything else the parser dropped, with its own warnings.
    const unnamed = 'framework "": name has no DNS label; its task records skipped';
    const inputs: Array<[unknown, string[]]> = [
      [{ leader: 5, frameworks: "x", slaves: {} }, []],
      [
        { frameworks: [null, 1, "s", [], { name: 5 }, { tasks: "x" }, { tasks: [null, 1, [], { id: 7 }] }] },
        [unnamed],
      ],
      [{ slaves: [null, 1, { id: [], pid: {} }] }, []],
      [{ frameworks: [{ name: "f", tasks: [{ resources: 5, statuses: [null], discovery: 1 }] }] }, []],
      [
        {
          frameworks: [{ name: "f", tasks: [{ statuses: [{ labels: [{ key: 1 }], container_status: 3 }] }] }],
        },
        [],
      ],
      [[], []],
      [null, []],
      ["state", []],
    ];
    for (const [input, recordWarnings] of inputs) {
      const { warnings, records } = generate(input);
      expect(warnings.length).toBeGreaterThan(0);
      expect(records.warnings).toEqual(recordWarnings);
    }
  });

  test("parseState() reads NetworkInfo IPs in the 0.26 and 0.25 forms, preferring the list", () => {
    const statuses = [
      {
        state: "TASK_RUNNING",
        timestamp: 1,
        container_status: {
          network_infos: [
            { ip_address: "1.2.3.4" },
            { ip_address: "1.2.3.5", ip_addresses: [{ ip_address: "1.2.3.8" }] },
            { ip_addresses: [{ ip_address: "1.2.3.9" }, {}] },
          ],
        },
      },
    ];
    const { state } = generate(doc([runningTask({ statuses })]));
    expect(state.frameworks[0]!.tasks[0]!.statuses[0]!.networkIps).toEqual([
      "1.2.3.4",
      "1.2.3.8",
      "1.2.3.9",
      "",
    ]);
  });

  test("parseState() accepts an integer timestamp and Mesos 1.x extra fields", () => {
    const statuses = [{ state: "TASK_RUNNING", timestamp: 1500000000, uuid: "x", healthy: true }];
    const { state, warnings } = generate(doc([runningTask({ statuses, executor_id: "", role: "*" })]));
    expect(warnings).toEqual([]);
    expect(state.frameworks[0]!.tasks[0]!.statuses[0]!.timestamp).toBe(1500000000);
  });

  test("parseState() skips bad port pieces and DiscoveryInfo ports above 65535 with warnings", () => {
    const { state, warnings, records } = generate(
      doc([
        runningTask({
          resources: { ports: "[31000, x-1, 70000-70001]" },
          discovery: { name: "web", ports: { ports: [{ number: 70000, protocol: "tcp" }, { number: 80 }] } },
        }),
      ]),
    );
    const t = state.frameworks[0]!.tasks[0]!;
    expect(t.ports).toEqual([31000]);
    expect(t.discovery!.ports.map((p) => p.number)).toEqual([80]);
    expect(warnings).toHaveLength(3);
    expect(records.srv.get("_web._tcp.marathon.mesos.")?.[0]).toEndWith(":80");
  });

  test("parseState() and generation cope with a 300-character dash name, unicode and emoji names", () => {
    const { records } = generate(
      doc([
        runningTask({ name: "-".repeat(300) }),
        runningTask({ id: "u", name: "caf\u00e9 \u{1F600} app" }),
        runningTask({ id: "e", name: "\u{1F600}\u{1F680}" }),
        runningTask({ id: "x".repeat(300), name: "a".repeat(300) }),
      ]),
    );
    expect(records.a.get("cafapp.marathon.mesos.")).toEqual(["10.0.0.1"]);
    expect(records.a.get(`${"a".repeat(63)}.marathon.mesos.`)).toEqual(["10.0.0.1"]);
    for (const name of [...records.a.keys(), ...records.srv.keys()]) {
      for (const piece of name.slice(0, -1).split(".")) {
        expect(piece.length).toBeGreaterThan(0);
        expect(piece.length).toBeLessThanOrEqual(63);
      }
    }
    expect(records.warnings.length).toBeGreaterThan(0);
  });

  test('parseState() reads a framework\'s id, "" when absent or not a string, keeping the framework', () => {
    const frameworks = [
      { id: "fw-0001", name: "a" },
      { name: "b" },
      { id: 7, name: "c", tasks: [runningTask()] },
      { id: null, name: "d" },
    ];
    const { state, warnings } = generate(doc([], { frameworks }));
    expect(warnings).toEqual([]);
    expect(state.frameworks.map((f) => f.id)).toEqual(["fw-0001", "", "", ""]);
    expect(state.frameworks[2]!.tasks).toHaveLength(1);
  });

  test("parseState() keeps duplicate task ids; their records merge", () => {
    const { records } = generate(doc([runningTask(), runningTask()]));
    expect(records.enumeration.frameworks[0]!.tasks).toHaveLength(2);
    expect(records.enumeration.frameworks[0]!.tasks[1]!.records).toEqual([]);
  });
});

describe("hostnamesToResolve()", () => {
  test("hostnamesToResolve() lists non-IP framework, agent, leader, master and listener hosts once", () => {
    const state: MesosState = {
      leader: "master@leader.example:5050",
      frameworks: [
        {
          id: "",
          name: "a",
          pid: { host: "sched.example", port: 1 },
          hostname: "ignored.example",
          tasks: [],
        },
        { id: "", name: "b", pid: undefined, hostname: "localhost", tasks: [] },
        { id: "", name: "c", pid: { host: "10.0.0.1", port: 1 }, hostname: "", tasks: [] },
      ],
      slaves: [
        { id: "1", pid: { host: "agent.example", port: 5051 } },
        { id: "2", pid: { host: "localhost", port: 5051 } },
      ],
    };
    const hosts = hostnamesToResolve(state, {
      masters: ["m1.example:5050", "10.0.0.5:5050", ""],
      listener: "0.0.0.0",
    });
    expect(hosts.sort()).toEqual([
      "agent.example",
      "leader.example",
      "localhost",
      "m1.example",
      "sched.example",
    ]);
  });
});
