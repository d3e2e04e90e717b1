import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { parseOperatorEvent } from "../../../src/core/mesos/operator-event.ts";
import { agent, as, event, failure, subscribed, v1Task } from "./_operator-events.ts";

describe("parseOperatorEvent() SUBSCRIBED", () => {
  test("parseOperatorEvent() takes only get_tasks.tasks into the snapshot, not completed, orphan or unreachable tasks", () => {
    const { event: e } = event(
      subscribed({
        get_tasks: {
          tasks: [v1Task()],
          completed_tasks: [v1Task({ task_id: { value: "done" } })],
          orphan_tasks: [v1Task({ task_id: { value: "orphan" } })],
          unreachable_tasks: [v1Task({ task_id: { value: "gone" } })],
        },
      }),
    );
    const { tasks } = as(e, "SUBSCRIBED").snapshot;
    expect(tasks.map((t) => [t.frameworkId, t.task.id, t.task.ports])).toEqual([
      ["fw-1", "web.1", [31000, 31001]],
    ]);
  });

  test("parseOperatorEvent() skips a malformed task, framework or agent of the snapshot with a warning naming it", () => {
    const { event: e, warnings } = event(
      subscribed({
        get_tasks: { tasks: [v1Task({ statuses: [{ timestamp: "1" }] }), v1Task({ name: "ok" })] },
        get_frameworks: {
          frameworks: [{ framework_info: { name: 5 } }, { framework_info: { id: { value: "f" } } }],
        },
        get_agents: { agents: [agent({ pid: "nope" }), agent({}, { id: { value: "a-S1" } })] },
      }),
    );
    const { snapshot } = as(e, "SUBSCRIBED");
    expect(snapshot.tasks.map((t) => t.task.name)).toEqual(["ok"]);
    expect(snapshot.frameworks).toEqual([{ id: "f", name: "", hostname: "" }]);
    expect(snapshot.agents.map((a) => a.id)).toEqual(["a-S1"]);
    expect(warnings).toEqual([
      'SUBSCRIBED: field "subscribed.get_state.get_frameworks.frameworks.0.framework_info.name": expected string, got 5; framework skipped',
      'SUBSCRIBED: field "subscribed.get_state.get_agents.agents.0.pid": bad pid "nope"; agent skipped',
      'SUBSCRIBED: task "web": field "subscribed.get_state.get_tasks.tasks.0.statuses.0.timestamp": expected number, got "1"; task skipped',
    ]);
  });

  test("parseOperatorEvent() addresses an agent without pid by agent_info.hostname and port, else skips it", () => {
    const { event: e, warnings } = event(
      subscribed({
        get_agents: {
          agents: [
            agent({ pid: undefined }),
            agent({ pid: null }, { id: { value: "v6" }, hostname: "fd00::4" }),
            agent({ pid: undefined }, { id: { value: "named" }, hostname: "agent.example", port: 5052 }),
            agent({ pid: undefined }, { id: { value: "lost" }, hostname: undefined }),
          ],
        },
      }),
    );
    expect(as(e, "SUBSCRIBED").snapshot.agents).toEqual([
      { id: "a-S0", pid: { host: "10.0.0.4", port: 5051 } },
      { id: "v6", pid: { host: "fd00::4", port: 5051 } },
      { id: "named", pid: { host: "agent.example", port: 5052 } },
    ]);
    expect(warnings).toEqual([
      'SUBSCRIBED: field "subscribed.get_state.get_agents.agents.3.pid": missing, and agent_info has no hostname and port to fall back on; agent skipped',
    ]);
  });

  test("parseOperatorEvent() reads absent snapshot lists as empty and warns about lists of the wrong type", () => {
    expect(as(event(subscribed({})).event, "SUBSCRIBED").snapshot).toEqual({
      frameworks: [],
      agents: [],
      tasks: [],
    });
    const { warnings } = event(subscribed({ get_tasks: { tasks: {} }, get_agents: 5 }));
    expect(warnings).toEqual([
      'SUBSCRIBED: field "subscribed.get_state.get_agents": expected Object, got 5; ignored',
      'SUBSCRIBED: field "subscribed.get_state.get_tasks.tasks": expected Array, got Object; ignored',
    ]);
  });

  test("parseOperatorEvent() rejects SUBSCRIBED without get_state rather than report an empty cluster", () => {
    expect(failure({ type: "SUBSCRIBED", subscribed: {} })).toBe(
      'SUBSCRIBED: field "subscribed.get_state": missing',
    );
    expect(failure({ type: "SUBSCRIBED" })).toBe('SUBSCRIBED: field "subscribed": missing');
  });

  test("parseOperatorEvent() leaves the heartbeat undefined when absent or not a positive number", () => {
    const { event: absent, warnings: none } = event(
      subscribed({}, { heartbeat_interval_seconds: undefined }),
    );
    expect(as(absent, "SUBSCRIBED").heartbeatSeconds).toBeUndefined();
    expect(none).toEqual([]);
    // 1e400 is Infinity once parsed.
    for (const bad of ['"15"', "0", "-1", "1e400"]) {
      const result = parseOperatorEvent(
        `{"type":"SUBSCRIBED","subscribed":{"get_state":{},"heartbeat_interval_seconds":${bad}}}`,
      );
      if (!result.ok) throw new Error(result.error);
      expect(as(result.event, "SUBSCRIBED").heartbeatSeconds).toBeUndefined();
      expect(result.warnings).toEqual([
        `SUBSCRIBED: field "subscribed.heartbeat_interval_seconds": expected a positive number, got ${bad === "1e400" ? "Infinity" : bad}; ignored`,
      ]);
    }
  });
});

describe("parseOperatorEvent() agent and framework events", () => {
  test("parseOperatorEvent() reads AGENT_ADDED's id and pid address, and AGENT_REMOVED's id", () => {
    const added = event({
      type: "AGENT_ADDED",
      agent_added: { agent: agent({ pid: "slave(1)@[fd00::4]:5051" }) },
    });
    expect(added.event).toEqual({
      type: "AGENT_ADDED",
      agent: { id: "a-S0", pid: { host: "fd00::4", port: 5051 } },
    });
    const removed = event({ type: "AGENT_REMOVED", agent_removed: { agent_id: { value: "a-S0" } } });
    expect(removed.event).toEqual({ type: "AGENT_REMOVED", agentId: "a-S0" });
  });

  test("parseOperatorEvent() rejects an AGENT_ADDED agent it cannot address, and AGENT_REMOVED without agent_id", () => {
    const added = (a: unknown) => ({ type: "AGENT_ADDED", agent_added: { agent: a } });
    expect(failure(added(agent({ pid: "a@b@c:1" })))).toBe(
      'AGENT_ADDED: field "agent_added.agent.pid": bad pid "a@b@c:1"',
    );
    expect(failure(added(agent({ pid: 5 })))).toBe(
      'AGENT_ADDED: field "agent_added.agent.pid": expected string, got 5',
    );
    expect(failure(added(agent({ pid: undefined }, { port: "5051" })))).toContain(
      "no hostname and port to fall back on",
    );
    expect(failure(added(agent({ pid: undefined }, { hostname: "bad host" })))).toBe(
      'AGENT_ADDED: field "agent_added.agent.agent_info": no pid, and hostname and port "bad host:5051" are no address',
    );
    expect(failure(added(agent({}, { id: "a-S0" })))).toBe(
      'AGENT_ADDED: field "agent_added.agent.agent_info.id": expected Object, got "a-S0"',
    );
    expect(failure({ type: "AGENT_REMOVED", agent_removed: {} })).toBe(
      'AGENT_REMOVED: field "agent_removed.agent_id": missing',
    );
  });

  test("parseOperatorEvent() reads FRAMEWORK_ADDED and FRAMEWORK_REMOVED", () => {
    const info = { id: { value: "fw-2" }, name: "chronos", hostname: "sched.example", user: "root" };
    expect(
      event({ type: "FRAMEWORK_ADDED", framework_added: { framework: { framework_info: info } } }).event,
    ).toEqual({
      type: "FRAMEWORK_ADDED",
      framework: { id: "fw-2", name: "chronos", hostname: "sched.example" },
    });
    expect(event({ type: "FRAMEWORK_REMOVED", framework_removed: { framework_info: info } }).event).toEqual({
      type: "FRAMEWORK_REMOVED",
      frameworkId: "fw-2",
    });
  });

  test("parseOperatorEvent() rejects a framework event with a malformed or missing framework", () => {
    expect(
      failure({
        type: "FRAMEWORK_UPDATED",
        framework_updated: { framework: { framework_info: { id: "fw" } } },
      }),
    ).toBe(
      'FRAMEWORK_UPDATED: field "framework_updated.framework.framework_info.id": expected Object, got "fw"',
    );
    expect(failure({ type: "FRAMEWORK_ADDED", framework_added: { framework: {} } })).toBe(
      'FRAMEWORK_ADDED: field "framework_added.framework.framework_info": missing',
    );
    expect(
      failure({ type: "FRAMEWORK_REMOVED", framework_removed: { framework_info: { hostname: [] } } }),
    ).toBe(
      'FRAMEWORK_REMOVED: field "framework_removed.framework_info.hostname": expected string, got Array',
    );
  });
});

describe("parseOperatorEvent() envelopes", () => {
  test("parseOperatorEvent() reads HEARTBEAT and names any other event type UNKNOWN", () => {
    expect(event({ type: "HEARTBEAT" }).event).toEqual({ type: "HEARTBEAT" });
    for (const name of ["OPERATION_UPDATED", "UNKNOWN", "task_added", ""]) {
      expect(event({ type: name, whatever: [1] }).event).toEqual({ type: "UNKNOWN", name });
    }
  });

  test("parseOperatorEvent() rejects what is not one JSON object with a string type, in one line", () => {
    expect(failure("{nope")).toStartWith("operator event is not valid JSON: ");
    expect(failure("[]")).toBe("operator event is not a JSON object (got array)");
    expect(failure("null")).toBe("operator event is not a JSON object (got null)");
    expect(failure("42")).toBe("operator event is not a JSON object (got number)");
    expect(failure('"x"')).toBe("operator event is not a JSON object (got string)");
    expect(failure("{}")).toBe('operator event has no "type"');
    expect(failure('{"type":null}')).toBe('operator event has no "type"');
    expect(failure('{"type":5}')).toBe('operator event field "type": expected string, got 5');
    expect(failure("")).toStartWith("operator event is not valid JSON");
    const bad = parseOperatorEvent(Uint8Array.of(0x7b, 0xff, 0x7d));
    expect(bad).toEqual({ ok: false, error: "operator event is not valid UTF-8" });
  });

  test("parseOperatorEvent() survives hostile input: huge numbers, nulls, deep nesting, emoji", () => {
    const inputs = [
      '{"type":"TASK_ADDED","task_added":{"task":{"name":"\u{1F600}\u{1F680}","statuses":[{"timestamp":1e400}],"resources":[{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":-1e400,"end":1e400}]}}]}}}',
      '{"type":"TASK_ADDED","task_added":{"task":{"name":null,"task_id":null,"statuses":[null],"discovery":null}}}',
      `{"type":"SUBSCRIBED","subscribed":{"get_state":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`,
      `{"type":"TASK_UPDATED","task_updated":{"status":{"container_status":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}}}`,
      '{"type":"AGENT_ADDED","agent_added":{"agent":{"agent_info":{"hostname":"\u{1F600}","port":1e308}}}}',
      `{"type":"TASK_ADDED","task_added":{"task":{"name":"${"x".repeat(1_000_000)}","task_id":{"value":99999999999999999999999}}}}`,
    ];
    for (const input of inputs) expect(typeof parseOperatorEvent(input).ok).toBe("boolean");
  });

  test("parseOperatorEvent() never throws on any JSON payload of any event type", () => {
    const types = [
      "SUBSCRIBED",
      "TASK_ADDED",
      "TASK_UPDATED",
      "AGENT_ADDED",
      "AGENT_REMOVED",
      "FRAMEWORK_ADDED",
    ];
    const keys = [
      "subscribed",
      "task_added",
      "task_updated",
      "agent_added",
      "agent_removed",
      "framework_added",
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: types.length - 1 }), fc.jsonValue(), (index, payload) => {
        const wrapped = { type: types[index], [keys[index]!]: payload };
        const result = parseOperatorEvent(JSON.stringify(wrapped));
        expect(typeof result.ok).toBe("boolean");
        if (!result.ok) expect(result.error).toStartWith(`${types[index]}: `);
      }),
      { numRuns: 3000 },
    );
  });
});
