/**
 * parseOperatorEvent() on real events: the dcos-net capture in ../shared/fixtures (CI has it;
 * skipped with the reason printed when the directory is missing) and the few of its lines
 * copied to tests/fixtures/operator-events.ndjson, so that a plain clone runs these too.
 */
import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseOperatorEvent } from "../../../src/core/mesos/operator-event.ts";
import { RecordIoDecoder } from "../../../src/core/mesos/recordio.ts";
import { as, lines } from "./_operator-events.ts";

const ROOT = join(import.meta.dir, "..", "..", "..");
/** The full capture (38 events) beside the project; CI has it. */
const SHARED_FIXTURE = join(ROOT, "..", "shared", "fixtures", "operator-api-subscribe.ndjson");
const haveShared = existsSync(join(ROOT, "..", "shared", "fixtures"));
if (!haveShared)
  console.warn(`skipped: ${SHARED_FIXTURE} is missing (../shared/fixtures is not beside the project)`);
/** A few events copied from it, so a plain clone runs these tests too. */
const LOCAL_FIXTURE = join(ROOT, "tests", "fixtures", "operator-events.ndjson");

const FW = "30257977-0153-499d-a5b0-35afd842ef4d";

describe("parseOperatorEvent() on the dcos-net capture", () => {
  test.skipIf(!haveShared)(
    "parseOperatorEvent() parses every line of ../shared/fixtures/operator-api-subscribe.ndjson without warnings",
    () => {
      const counts: Record<string, number> = {};
      for (const [index, line] of lines(SHARED_FIXTURE).entries()) {
        const result = parseOperatorEvent(line);
        if (!result.ok) throw new Error(`line ${index + 1}: ${result.error}`);
        expect(result.warnings).toEqual([]);
        counts[result.event.type] = (counts[result.event.type] ?? 0) + 1;
      }
      expect(counts).toEqual({ SUBSCRIBED: 1, FRAMEWORK_UPDATED: 1, TASK_ADDED: 12, TASK_UPDATED: 24 });
    },
  );

  test.skipIf(!haveShared)(
    "tests/fixtures/operator-events.ndjson holds lines of the capture unchanged",
    () => {
      const all = new Set(lines(SHARED_FIXTURE));
      for (const line of lines(LOCAL_FIXTURE)) expect(all.has(line)).toBe(true);
    },
  );

  test.skipIf(!haveShared)(
    "parseOperatorEvent() reads the capture framed in RecordIO and fed in 7-byte chunks",
    () => {
      const encoder = new TextEncoder();
      const framed = lines(SHARED_FIXTURE)
        .map((line) => `${encoder.encode(line).length}\n${line}`)
        .join("");
      const bytes = encoder.encode(framed);
      const recordIo = new RecordIoDecoder(64 * 1024);
      const types: string[] = [];
      for (let at = 0; at < bytes.length; at += 7) {
        for (const item of recordIo.push(bytes.subarray(at, at + 7))) {
          if (!item.ok) throw new Error(item.error);
          const result = parseOperatorEvent(item.record);
          if (!result.ok) throw new Error(result.error);
          types.push(result.event.type);
        }
      }
      expect(recordIo.end()).toEqual([]);
      expect(types).toHaveLength(38);
      expect(types[0]).toBe("SUBSCRIBED");
    },
  );
});

describe("parseOperatorEvent() on tests/fixtures/operator-events.ndjson", () => {
  const results = lines(LOCAL_FIXTURE).map((line) => {
    const result = parseOperatorEvent(line);
    if (!result.ok) throw new Error(result.error);
    return result.event;
  });

  test("parseOperatorEvent() reads SUBSCRIBED's frameworks, agents, empty task list and heartbeat of 15 s", () => {
    const { snapshot, heartbeatSeconds } = as(results[0]!, "SUBSCRIBED");
    expect(heartbeatSeconds).toBe(15);
    expect(snapshot.frameworks).toEqual([{ id: `${FW}-0000`, name: "metronome", hostname: "172.17.0.2" }]);
    expect(snapshot.agents).toEqual([
      { id: `${FW}-S0`, pid: { host: "172.17.0.4", port: 5051 } },
      { id: `${FW}-S1`, pid: { host: "172.17.0.3", port: 5051 } },
    ]);
    expect(snapshot.tasks).toEqual([]);
  });

  test("parseOperatorEvent() reads FRAMEWORK_UPDATED's framework id, name and hostname", () => {
    expect(as(results[1]!, "FRAMEWORK_UPDATED").framework).toEqual({
      id: `${FW}-0001`,
      name: "marathon",
      hostname: "172.17.0.2",
    });
  });

  test("parseOperatorEvent() maps TASK_ADDED's task: ids, ports from RANGES, DiscoveryInfo", () => {
    const { task } = as(results[2]!, "TASK_ADDED");
    expect(task.frameworkId).toBe(`${FW}-0001`);
    expect(task.task).toEqual({
      id: "docker-on-bridge.0ef76549-2630-11e8-af52-70b3d5800001",
      name: "docker-on-bridge",
      slaveId: `${FW}-S0`,
      state: "TASK_STAGING",
      ports: [20560],
      statuses: [],
      discovery: { name: "docker-on-bridge", ports: [{ number: 20560, name: "http", protocol: "tcp" }] },
    });
    // A task without a ports resource has no host ports.
    expect(as(results[5]!, "TASK_ADDED").task.task.ports).toEqual([]);
  });

  test("parseOperatorEvent() maps TASK_UPDATED's ids, state and NetworkInfo IP", () => {
    const update = as(results[3]!, "TASK_UPDATED");
    expect(update).toEqual({
      type: "TASK_UPDATED",
      frameworkId: `${FW}-0001`,
      taskId: "docker-on-bridge.0ef76549-2630-11e8-af52-70b3d5800001",
      agentId: `${FW}-S0`,
      state: "TASK_RUNNING",
      status: { state: "TASK_RUNNING", timestamp: 1520884850.64141, labels: [], networkIps: ["172.18.0.2"] },
    });
    expect(as(results[4]!, "TASK_UPDATED").status?.networkIps).toEqual(["9.0.2.130"]);
  });

  test("parseOperatorEvent() keeps both addresses of the dual-stack task's TASK_UPDATED, in order", () => {
    const starting = as(results[6]!, "TASK_UPDATED");
    expect(starting.state).toBe("TASK_STARTING");
    expect(starting.status?.networkIps).toEqual(["172.17.0.3"]);
    const running = as(results[7]!, "TASK_UPDATED");
    expect(running.taskId).toBe("docker-on-ipv6.602453f2-28e7-11e8-8cba-70b3d5800001");
    expect(running.state).toBe("TASK_RUNNING");
    expect(running.status?.networkIps).toEqual(["172.19.0.2", "fd01:b::2:8000:0:2"]);
  });

  test("parseOperatorEvent() reads the same events from the RecordIO-framed lines split at every 13th byte offset", () => {
    const encoder = new TextEncoder();
    const local = lines(LOCAL_FIXTURE);
    const bytes = encoder.encode(local.map((line) => `${encoder.encode(line).length}\n${line}`).join(""));
    for (let offset = 0; offset <= bytes.length; offset += 13) {
      const recordIo = new RecordIoDecoder(64 * 1024);
      const items = [
        ...recordIo.push(bytes.subarray(0, offset)),
        ...recordIo.push(bytes.subarray(offset)),
        ...recordIo.end(),
      ];
      const events = items.map((item) => {
        if (!item.ok) throw new Error(item.error);
        const result = parseOperatorEvent(item.record);
        if (!result.ok) throw new Error(result.error);
        return result.event;
      });
      expect(events).toEqual(results);
    }
  });

  test("parseOperatorEvent() reads bytes as it reads text", () => {
    const line = lines(LOCAL_FIXTURE)[7]!;
    expect(parseOperatorEvent(new TextEncoder().encode(line))).toEqual(parseOperatorEvent(line));
  });
});
