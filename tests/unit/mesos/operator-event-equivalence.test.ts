/**
 * A task, agent or framework reads the same from the operator API stream as from the state
 * document: `parseOperatorEvent()` of a v1 event against `parseState()` of the document that
 * `_v1-to-state.ts` rewrites it into.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { parseOperatorEvent } from "../../../src/core/mesos/operator-event.ts";
import { parseState } from "../../../src/core/mesos/state.ts";
import { v1AgentToState, v1FrameworkToState, v1TaskToStateDocument } from "./_v1-to-state.ts";

/** The expected kind most of the time; else absent, null, or a value of another type. */
function mostly<T>(expected: fc.Arbitrary<T>, weight = 60): fc.Arbitrary<unknown> {
  const other = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.string({ maxLength: 4 }),
    fc.constant([]),
    fc.constant({}),
    fc.constant({ value: 5 }),
  );
  return fc.oneof(
    { weight, arbitrary: expected },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: other },
  );
}

const anyText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 6 }), // emoji and other non-ASCII text
  fc.constantFrom("web", "liquor.store", "big dog", "-", "app_1", "caf\u00e9 \u{1F600}"),
);
const text = mostly(anyText);
const wrapped = (value: fc.Arbitrary<unknown>) => mostly(fc.record({ value }, { requiredKeys: [] }));
const ip = fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom("", "not-an-ip", "fd01:b::2:8000:0:2"));
const portNumber = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 70000 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, 1e21, 2 ** 53 + 2) },
);

const range = mostly(fc.record({ begin: mostly(portNumber, 100), end: mostly(portNumber, 100) }), 100);
const resource = mostly(
  fc.oneof(
    fc.record({
      name: fc.constant("ports"),
      type: fc.constant("RANGES"),
      ranges: mostly(fc.record({ range: mostly(fc.array(range, { minLength: 1, maxLength: 4 }), 100) }), 100),
      role: fc.constant("*"),
    }),
    fc.record({
      name: fc.constantFrom("cpus", "mem", "ports"),
      type: fc.constant("SCALAR"),
      scalar: fc.record({ value: fc.double() }),
    }),
    fc.record({
      name: mostly(fc.constantFrom("ports", "disk")),
      type: mostly(fc.constantFrom("RANGES", "SET")),
    }),
    // Ranges under another name or type are not host ports.
    fc.record({
      name: fc.constantFrom("ports", "ephemeral_ports"),
      type: fc.constantFrom("SET", "SCALAR", "RANGES"),
      ranges: fc.constant({ range: [{ begin: 1000, end: 1001 }] }),
    }),
  ),
  100,
);

const label = mostly(
  fc.record({
    key: mostly(
      fc.constantFrom(
        "Docker.NetworkSettings.IPAddress",
        "MesosContainerizer.NetworkSettings.IPAddress",
        "network-scope",
      ),
      100,
    ),
    value: mostly(fc.oneof(ip, anyText), 100),
  }),
  100,
);
const labels = mostly(fc.record({ labels: mostly(fc.array(label, { maxLength: 3 }), 100) }), 60);
const networkInfo = mostly(
  fc.record(
    {
      ip_addresses: mostly(
        fc.array(
          mostly(fc.record({ protocol: fc.constantFrom("IPv4", "IPv6"), ip_address: mostly(ip, 100) }), 100),
          {
            maxLength: 3,
          },
        ),
        60,
      ),
      ip_address: mostly(ip, 60),
      name: fc.constantFrom("dcos", "dcos6"),
      labels: fc.constant({}),
    },
    { requiredKeys: [] },
  ),
  100,
);
const status = mostly(
  fc.record(
    {
      task_id: fc.constant({ value: "ignored" }),
      state: mostly(fc.constantFrom("TASK_RUNNING", "TASK_STARTING", "TASK_KILLED"), 100),
      timestamp: mostly(fc.oneof(fc.double({ min: 0, max: 2e9 }), fc.nat()), 60),
      labels,
      container_status: mostly(
        fc.record(
          { network_infos: mostly(fc.array(networkInfo, { maxLength: 3 }), 60) },
          { requiredKeys: [] },
        ),
        60,
      ),
      uuid: fc.constant("CuSfx+sKT7iG1+N1sqjNbg=="),
    },
    { requiredKeys: [] },
  ),
  100,
);
const discoveryPort = mostly(
  fc.record(
    {
      number: mostly(fc.oneof(portNumber, fc.constant(80)), 60),
      name: text,
      protocol: mostly(fc.constantFrom("tcp", "udp", "")),
      labels: fc.constant({ labels: [{ key: "network-scope", value: "host" }] }),
    },
    { requiredKeys: [] },
  ),
  100,
);
const discovery = mostly(
  fc.record(
    {
      visibility: fc.constant("FRAMEWORK"),
      name: text,
      ports: mostly(fc.record({ ports: mostly(fc.array(discoveryPort, { maxLength: 3 }), 60) }), 60),
    },
    { requiredKeys: [] },
  ),
  6,
);
const v1Task = mostly(
  fc.record(
    {
      name: text,
      task_id: wrapped(mostly(anyText, 100)),
      framework_id: wrapped(mostly(fc.constantFrom("fw-0001", "fw-0002", ""), 100)),
      agent_id: wrapped(mostly(fc.constantFrom("a-S0", "a-S1"), 100)),
      state: mostly(fc.constantFrom("TASK_RUNNING", "TASK_STAGING")),
      resources: mostly(fc.array(resource, { maxLength: 4 })),
      statuses: mostly(fc.array(status, { maxLength: 3 })),
      discovery,
      executor_id: fc.constant({ value: "ignored" }),
    },
    { requiredKeys: [] },
  ),
  100,
);

/** JSON as it arrives on the wire: no undefined, NaN or -0. */
function roundTrip(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

describe("parseOperatorEvent() and parseState() agree", () => {
  test("parseOperatorEvent() of a TASK_ADDED gives the MesosTask and warnings parseState() gives for the equivalent state document", () => {
    let read = 0;
    let runs = 0;
    fc.assert(
      fc.property(v1Task, (generated) => {
        runs++;
        const task = roundTrip(generated);
        const event = parseOperatorEvent(JSON.stringify({ type: "TASK_ADDED", task_added: { task } }));
        const reference = parseState(v1TaskToStateDocument(task));
        const framework = reference.state.frameworks[0]!;
        if (event.ok) {
          read++;
          if (event.event.type !== "TASK_ADDED") throw new Error(`unexpected ${event.event.type}`);
          expect(framework.tasks).toEqual([event.event.task.task]);
          expect(event.event.task.frameworkId).toBe(framework.name);
          expect(event.warnings).toEqual(reference.warnings);
        } else {
          expect(event.error).toStartWith("TASK_ADDED: ");
          expect(event.error).toContain('field "task_added.task');
          expect(framework.tasks).toEqual([]);
          expect(reference.warnings.some((warning) => warning.endsWith("; task skipped"))).toBe(true);
        }
      }),
      { numRuns: 4000 },
    );
    // Not vacuous: most generated tasks are well formed.
    expect(read).toBeGreaterThan(runs / 4);
  });

  test("parseOperatorEvent() of an AGENT_ADDED gives the MesosAgent parseState() gives for the equivalent agent", () => {
    const agent = mostly(
      fc.record(
        {
          agent_info: mostly(
            fc.record(
              {
                id: wrapped(mostly(fc.constantFrom("a-S0", "a-S1", ""), 100)),
                hostname: mostly(
                  fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom("agent.example", "bad host", "")),
                ),
                port: mostly(fc.oneof(fc.constant(5051), portNumber)),
              },
              { requiredKeys: [] },
            ),
          ),
          pid: mostly(
            fc.oneof(
              fc.constantFrom("slave(1)@10.0.0.1:5051", "slave(1)@[fd00::1]:5051", "nope", "a@b@c:1"),
              fc.ipV4().map((host) => `slave(1)@${host}:5051`),
            ),
            3,
          ),
          active: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
      30,
    );
    fc.assert(
      fc.property(agent, (generated) => {
        const raw = roundTrip(generated);
        const event = parseOperatorEvent(
          JSON.stringify({ type: "AGENT_ADDED", agent_added: { agent: raw } }),
        );
        const reference = parseState({ slaves: [v1AgentToState(raw)] }).state.slaves;
        if (event.ok && event.event.type === "AGENT_ADDED") expect(reference).toEqual([event.event.agent]);
        else {
          expect(event.ok).toBe(false);
          expect(reference).toEqual([]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("parseOperatorEvent() of a FRAMEWORK_ADDED gives the id, name and hostname parseState() gives", () => {
    // Ids are well formed here: the state document reads a wrong-typed framework id as "",
    // the stream rejects it (only the stream refers to frameworks by id; see operator-event.test.ts).
    const info = mostly(
      fc.record(
        {
          id: fc.option(fc.record({ value: fc.option(fc.constantFrom("fw-0001", "")) }), { nil: undefined }),
          name: text,
          hostname: mostly(fc.constantFrom("172.17.0.2", "sched.example", "")),
          user: fc.constant("root"),
        },
        { requiredKeys: [] },
      ),
      30,
    );
    fc.assert(
      fc.property(info, (generated) => {
        const raw = roundTrip(generated);
        const event = parseOperatorEvent(
          JSON.stringify({
            type: "FRAMEWORK_ADDED",
            framework_added: { framework: { framework_info: raw } },
          }),
        );
        const reference = parseState({ frameworks: [v1FrameworkToState(raw)] }).state.frameworks;
        if (event.ok && event.event.type === "FRAMEWORK_ADDED") {
          expect(reference).toHaveLength(1);
          const { id, name, hostname } = reference[0]!;
          expect(event.event.framework).toEqual({ id, name, hostname });
        } else {
          expect(event.ok).toBe(false);
          expect(reference).toEqual([]);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
