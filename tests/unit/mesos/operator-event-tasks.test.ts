import { describe, expect, test } from "bun:test";
import { parseState } from "../../../src/core/mesos/state.ts";
import { as, event, failure, taskAdded, v1Task } from "./_operator-events.ts";

describe("parseOperatorEvent() task events", () => {
  test("parseOperatorEvent() maps TASK_UPDATED's status labels", () => {
    const { event: e } = event({
      type: "TASK_UPDATED",
      task_updated: {
        framework_id: { value: "fw-1" },
        state: "TASK_RUNNING",
        status: {
          task_id: { value: "web.1" },
          agent_id: { value: "a-S0" },
          state: "TASK_RUNNING",
          timestamp: 1.5,
          labels: {
            labels: [{ key: "Docker.NetworkSettings.IPAddress", value: "172.17.0.9" }, { key: "k" }],
          },
        },
      },
    });
    expect(as(e, "TASK_UPDATED").status).toEqual({
      state: "TASK_RUNNING",
      timestamp: 1.5,
      labels: [
        { key: "Docker.NetworkSettings.IPAddress", value: "172.17.0.9" },
        { key: "k", value: "" },
      ],
      networkIps: [],
    });
  });

  test("parseOperatorEvent() gives TASK_UPDATED without status empty ids, and the status's state when state is absent", () => {
    const bare = as(
      event({ type: "TASK_UPDATED", task_updated: { state: "TASK_KILLED" } }).event,
      "TASK_UPDATED",
    );
    expect(bare).toEqual({
      type: "TASK_UPDATED",
      frameworkId: "",
      taskId: "",
      agentId: "",
      state: "TASK_KILLED",
      status: undefined,
    });
    const noState = event({ type: "TASK_UPDATED", task_updated: { status: { state: "TASK_FAILED" } } }).event;
    expect(as(noState, "TASK_UPDATED").state).toBe("TASK_FAILED");
  });

  test("parseOperatorEvent() rejects TASK_UPDATED with a malformed status, naming the field", () => {
    const update = (status: unknown) => ({ type: "TASK_UPDATED", task_updated: { status } });
    expect(failure(update({ task_id: { value: "t" }, timestamp: "1" }))).toBe(
      'TASK_UPDATED: task "t": field "task_updated.status.timestamp": expected number, got "1"',
    );
    // The state document's plain list is not v1's `{ labels: [..] }`.
    expect(failure(update({ labels: [{ key: "k" }], task_id: { value: "t" } }))).toBe(
      'TASK_UPDATED: task "t": field "task_updated.status.labels": expected Object, got Array',
    );
    expect(failure(update({ task_id: "t" }))).toBe(
      'TASK_UPDATED: field "task_updated.status.task_id": expected Object, got "t"',
    );
    expect(failure(update(7))).toBe('TASK_UPDATED: field "task_updated.status": expected Object, got 7');
  });

  test("parseOperatorEvent() expands TASK_ADDED ports as the state document's text, merging every ports RANGES entry", () => {
    const resources = [
      { name: "ports", type: "RANGES", ranges: { range: [{ begin: 31005, end: 31005 }] } },
      { name: "ports", type: "SET", ranges: { range: [{ begin: 1, end: 2 }] } },
      {
        name: "ports",
        type: "RANGES",
        ranges: {
          range: [
            { begin: 31000, end: 31001 },
            { begin: 31001, end: 31002 },
          ],
        },
      },
    ];
    const { event: e, warnings } = event(taskAdded(v1Task({ resources })));
    expect(as(e, "TASK_ADDED").task.task.ports).toEqual([31005, 31000, 31001, 31002]);
    expect(warnings).toEqual([]);
  });

  test("parseOperatorEvent() caps TASK_ADDED ports at 1024 and warns as parseState() does", () => {
    const resources = [{ name: "ports", type: "RANGES", ranges: { range: [{ begin: 1, end: 65535 }] } }];
    const { event: e, warnings } = event(taskAdded(v1Task({ resources })));
    expect(as(e, "TASK_ADDED").task.task.ports).toHaveLength(1024);
    const reference = parseState({
      frameworks: [{ name: "fw-1", tasks: [{ name: "web", resources: { ports: "[1-65535]" } }] }],
    });
    expect(warnings).toEqual(reference.warnings);
    expect(warnings).toEqual([
      'framework "fw-1" task "web": more than 1024 distinct ports (65535); the last 64511 skipped',
    ]);
  });

  test("parseOperatorEvent() skips odd port ranges and DiscoveryInfo ports with warnings, keeping the task", () => {
    const resources = [
      {
        name: "ports",
        type: "RANGES",
        ranges: {
          range: [
            { begin: 70000, end: 70001 },
            { begin: 1.5, end: 2 },
            { begin: 31000, end: 31000 },
          ],
        },
      },
    ];
    const discovery = { name: "web", ports: { ports: [{ number: 70000, protocol: "tcp" }, { number: 80 }] } };
    const { event: e, warnings } = event(taskAdded(v1Task({ resources, discovery })));
    const { task } = as(e, "TASK_ADDED").task;
    expect(task.ports).toEqual([31000]);
    expect(task.discovery?.ports.map((p) => p.number)).toEqual([80]);
    expect(warnings).toEqual([
      'framework "fw-1" task "web": ports above 65535 in "70000-70001" skipped',
      'framework "fw-1" task "web": bad port range "1.5-2" skipped',
      'framework "fw-1" task "web": DiscoveryInfo port 70000 skipped: not an integer 0..65535',
    ]);
  });

  test("parseOperatorEvent() reads a TASK_ADDED task's statuses: labels, both NetworkInfo forms, timestamps", () => {
    const statuses = [
      {
        state: "TASK_RUNNING",
        timestamp: 3,
        labels: { labels: [{ key: "MesosContainerizer.NetworkSettings.IPAddress", value: "10.3.0.3" }] },
        container_status: {
          network_infos: [
            { ip_address: "1.2.3.4" },
            { ip_addresses: [{ protocol: "IPv6", ip_address: "fd01::1" }] },
          ],
        },
      },
      { state: "TASK_STARTING" },
    ];
    expect(as(event(taskAdded(v1Task({ statuses }))).event, "TASK_ADDED").task.task.statuses).toEqual([
      {
        state: "TASK_RUNNING",
        timestamp: 3,
        labels: [{ key: "MesosContainerizer.NetworkSettings.IPAddress", value: "10.3.0.3" }],
        networkIps: ["1.2.3.4", "fd01::1"],
      },
      { state: "TASK_STARTING", timestamp: 0, labels: [], networkIps: [] },
    ]);
  });

  test("parseOperatorEvent() rejects a malformed TASK_ADDED task, naming the event type, the task and the field", () => {
    const label = { labels: [{ key: "k", value: 5 }] };
    expect(failure(taskAdded(v1Task({ statuses: [{ labels: label }] })))).toBe(
      'TASK_ADDED: task "web": field "task_added.task.statuses.0.labels.labels.0.value": expected string, got 5',
    );
    expect(failure(taskAdded(v1Task({ task_id: { value: 5 } })))).toBe(
      'TASK_ADDED: task "web": field "task_added.task.task_id.value": expected string, got 5',
    );
    expect(failure(taskAdded(v1Task({ resources: { ports: "[1-2]" } })))).toBe(
      'TASK_ADDED: task "web": field "task_added.task.resources": expected Array, got Object',
    );
    const range = [{ name: "ports", type: "RANGES", ranges: { range: [{ begin: "1", end: 2 }] } }];
    expect(failure(taskAdded(v1Task({ resources: range })))).toBe(
      'TASK_ADDED: task "web": field "task_added.task.resources.0.ranges.range.0.begin": expected number, got "1"',
    );
    expect(
      failure(taskAdded(v1Task({ discovery: { name: "d", ports: { ports: [{ number: "80" }] } } }))),
    ).toContain('field "task_added.task.discovery.ports.ports.0.number"');
    expect(failure(taskAdded(v1Task({ name: 5 })))).toStartWith(
      'TASK_ADDED: task "web.1": field "task_added.task.name"',
    );
    expect(failure(taskAdded("web"))).toBe('TASK_ADDED: field "task_added.task": expected Object, got "web"');
    expect(failure({ type: "TASK_ADDED", task_added: {} })).toBe(
      'TASK_ADDED: field "task_added.task": missing',
    );
    expect(failure({ type: "TASK_ADDED", task_added: 1 })).toBe(
      'TASK_ADDED: field "task_added": expected Object, got 1',
    );
  });

  test("parseOperatorEvent() reads absent task fields as empty", () => {
    expect(as(event(taskAdded({})).event, "TASK_ADDED").task).toEqual({
      frameworkId: "",
      task: { id: "", name: "", slaveId: "", state: "", ports: [], statuses: [], discovery: undefined },
    });
  });
});
