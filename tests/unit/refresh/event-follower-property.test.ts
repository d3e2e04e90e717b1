/**
 * Properties of the event follower: random sequences of v1 events over a small random
 * cluster, checked after every event against a whole generation of the equivalent state
 * document (kept by plain JSON in {@link StreamDoc}); reconciliation polls of that
 * document, interleaved anywhere, find no difference and change nothing; and events the
 * stream missed while it was away are made good by the snapshot of the next subscription
 * (the fake master's own conversion of the document into a v1 `SUBSCRIBED`).
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { subscribedEvent } from "../../../scripts/fake-master.ts";
import { LEADER, rig } from "./_follower-rig.ts";
import { StreamDoc } from "./_stream-doc.ts";
import { settle } from "./_stream-harness.ts";
import {
  type AgentSpec,
  agentAdded,
  agentRemoved,
  type FrameworkSpec,
  frameworkAdded,
  frameworkRemoved,
  frameworkUpdated,
  subscribed,
  type TaskSpec,
  taskAdded,
  taskUpdated,
} from "./_v1-events.ts";

type Json = Record<string, unknown>;

const FRAMEWORK_IDS = ["F0", "F1", "F2"];
// "Marathon" and "marathon" make the same DNS label: renames can merge two frameworks' names.
const FRAMEWORK_NAMES = ["marathon", "chronos", "Marathon", "spark-jobs"];
const FRAMEWORK_HOSTS = ["10.0.0.1", "10.0.0.2", "fd00::2"];
const AGENT_IDS = ["S0", "S1", "S2", "S3"];
const AGENT_IPS = ["10.0.1.1", "10.0.1.2", "10.0.1.3", "fd00::1:4"];
// Colliding names: the same name twice, and names equal once sanitised.
const TASK_NAMES = ["web", "web", "Web", "db", "api_v2"];
const NETWORK_IPS = ["10.2.0.1", "10.2.0.2", "10.2.0.3", "fd01::1", "fd01::2"];
const PORTS = [31000, 31001, 31002, 31500];
const TERMINAL = new Set(["TASK_KILLED", "TASK_FINISHED", "TASK_LOST", "TASK_FAILED"]);

const networkIps = fc.option(fc.subarray(NETWORK_IPS, { maxLength: 2 }), { nil: undefined });
const discovery = fc.option(
  fc.record({
    name: fc.constantFrom("svc", "web", "Db_Main"),
    ports: fc.array(
      fc.record({
        number: fc.constantFrom(80, 443, 8080),
        name: fc.constantFrom("http", "https", ""),
        protocol: fc.constantFrom("tcp", "udp", "TCP", ""),
      }),
      { maxLength: 2 },
    ),
  }),
  { nil: undefined, freq: 3 },
);

/** A task of one of the frameworks (maybe not known) on one of the agents (maybe not known). */
const task = fc.record({
  id: fc.nat({ max: 11 }),
  framework: fc.nat({ max: 2 }),
  agent: fc.nat({ max: 4 }),
  name: fc.constantFrom(...TASK_NAMES),
  state: fc.constantFrom("TASK_STAGING", "TASK_RUNNING", "TASK_RUNNING"),
  ports: fc.subarray(PORTS, { maxLength: 3 }),
  ips: networkIps,
  discovery,
});
type TaskDraw = typeof task extends fc.Arbitrary<infer T> ? T : never;

/** A step, drawn abstractly and made concrete against the document when it runs. */
const stepArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("add" as const), task }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("update" as const),
      pick: fc.nat(),
      state: fc.constantFrom("TASK_RUNNING", "TASK_RUNNING", "TASK_KILLED", "TASK_FINISHED", "TASK_LOST"),
      ips: networkIps,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("late" as const),
      id: fc.nat({ max: 11 }),
      framework: fc.nat({ max: 2 }),
      state: fc.constantFrom("TASK_KILLED", "TASK_FINISHED", "TASK_FAILED"),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("agent-added" as const),
      agent: fc.nat({ max: 3 }),
      ip: fc.constantFrom(...AGENT_IPS),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("agent-removed" as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("framework" as const),
      framework: fc.nat({ max: 2 }),
      name: fc.constantFrom(...FRAMEWORK_NAMES),
      hostname: fc.constantFrom(...FRAMEWORK_HOSTS),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("framework-removed" as const), pick: fc.nat() }) },
);
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

/** The first snapshot: 2-3 frameworks, 2-4 agents, a few tasks. */
const clusterArb = fc
  .record({
    frameworks: fc.integer({ min: 2, max: 3 }),
    agents: fc.integer({ min: 2, max: 4 }),
    names: fc.array(fc.constantFrom(...FRAMEWORK_NAMES), { minLength: 3, maxLength: 3 }),
    hosts: fc.array(fc.constantFrom(...FRAMEWORK_HOSTS), { minLength: 3, maxLength: 3 }),
    ips: fc.array(fc.constantFrom(...AGENT_IPS), { minLength: 4, maxLength: 4 }),
    tasks: fc.array(task, { maxLength: 5 }),
  })
  .map(({ frameworks, agents, names, hosts, ips, tasks }) => {
    const fws: FrameworkSpec[] = FRAMEWORK_IDS.slice(0, frameworks).map((id, i) => ({
      id,
      name: names[i]!,
      hostname: hosts[i]!,
    }));
    const ags: AgentSpec[] = AGENT_IDS.slice(0, agents).map((id, i) => ({ id, ip: ips[i]! }));
    // Snapshot tasks belong to known frameworks (Mesos lists a task under its framework).
    const specs = tasks
      .map((t, i) => taskSpec({ ...t, framework: t.framework % frameworks }, i))
      .filter((t, i, all) => all.findIndex((u) => u.id === t.id && u.framework === t.framework) === i);
    return subscribed({ frameworks: fws, agents: ags, tasks: specs });
  });

function taskSpec(t: TaskDraw, timestamp: number): TaskSpec {
  const running = t.state === "TASK_RUNNING";
  return {
    id: `${t.name.toLowerCase()}.${t.id}`,
    name: t.name,
    framework: FRAMEWORK_IDS[t.framework]!,
    agent: `S${t.agent}`,
    state: t.state,
    ports: t.ports,
    ...(running && t.ips !== undefined ? { ips: t.ips, timestamp } : {}),
    ...(t.discovery === undefined ? {} : { discovery: t.discovery }),
  };
}

/** The v1 event of `step` for the document as it is now; undefined when it has nothing to act on. */
function concrete(step: Step, doc: StreamDoc, at: number): Json | undefined {
  switch (step.kind) {
    case "add":
      return taskAdded(taskSpec(step.task, at));
    case "update": {
      const live = doc.tasks().filter(({ task }) => !TERMINAL.has(task["state"] as string));
      const chosen = live[step.pick % Math.max(1, live.length)];
      if (chosen === undefined) return undefined;
      const { frameworkId, task } = chosen;
      const ips = step.state === "TASK_RUNNING" ? step.ips : undefined;
      return taskUpdated(frameworkId, task["id"] as string, task["slave_id"] as string, step.state, ips, at);
    }
    case "late": {
      // A terminal update for any task id, whether the view still has it or not.
      const name = TASK_NAMES[step.id % TASK_NAMES.length]!.toLowerCase();
      return taskUpdated(
        FRAMEWORK_IDS[step.framework]!,
        `${name}.${step.id}`,
        "S0",
        step.state,
        undefined,
        at,
      );
    }
    case "agent-added":
      return agentAdded({ id: AGENT_IDS[step.agent]!, ip: step.ip });
    case "agent-removed": {
      const agent = doc.slaves[step.pick % Math.max(1, doc.slaves.length)];
      return agent === undefined ? undefined : agentRemoved(agent["id"] as string);
    }
    case "framework": {
      const id = FRAMEWORK_IDS[step.framework]!;
      const spec = { id, name: step.name, hostname: step.hostname };
      return doc.frameworks.some((f) => f.id === id) ? frameworkUpdated(spec) : frameworkAdded(spec);
    }
    case "framework-removed": {
      const framework = doc.frameworks[step.pick % Math.max(1, doc.frameworks.length)];
      return framework === undefined ? undefined : frameworkRemoved(framework.id);
    }
  }
}

/** Only the warnings the stream may give for valid input: tasks of frameworks not known yet. */
function unexpectedWarnings(logs: readonly string[]): string[] {
  return logs.filter((l) => l.startsWith("warn ") && !/names framework "F\d", not known yet/.test(l));
}

describe("EventFollower properties", () => {
  test("after every event of a random sequence the records equal a whole generation of the document", async () => {
    let events = 0;
    await fc.assert(
      fc.asyncProperty(
        clusterArb,
        fc.array(stepArb, { maxLength: 60, size: "max" }),
        async (first, steps) => {
          const r = rig();
          const doc = StreamDoc.fromSubscribed(first);
          expect(await r.poll(doc.document(LEADER))).toBe(false);
          await r.send(first);
          r.expectRecordsOf(doc.document(LEADER));
          for (const [i, step] of steps.entries()) {
            const event = concrete(step, doc, 100 + i);
            if (event === undefined) continue;
            events++;
            doc.apply(event);
            await r.send(event);
            r.expectRecordsOf(doc.document(LEADER));
          }
          expect(r.counts.bad).toEqual([]);
          expect(r.counts.down).toEqual([]);
          expect(r.platform.streams).toHaveLength(1);
          expect(unexpectedWarnings(r.logs)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
    // Not vacuous: the sequences held events.
    expect(events).toBeGreaterThan(150 * 10);
  });

  test("a reconciliation poll of the current document, anywhere in a sequence, finds no difference", async () => {
    let polls = 0;
    const withPolls = fc.oneof(
      { weight: 5, arbitrary: stepArb },
      { weight: 1, arbitrary: fc.constant({ kind: "poll" as const }) },
    );
    await fc.assert(
      fc.asyncProperty(
        clusterArb,
        fc.array(withPolls, { maxLength: 60, size: "max" }),
        async (first, steps) => {
          const r = rig();
          const doc = StreamDoc.fromSubscribed(first);
          await r.poll(doc.document(LEADER));
          await r.send(first);
          for (const [i, step] of steps.entries()) {
            if (step.kind === "poll") {
              polls++;
              expect(await r.poll(doc.document(LEADER))).toBe(true);
              doc.polled();
              r.expectRecordsOf(doc.document(LEADER));
              continue;
            }
            const event = concrete(step, doc, 100 + i);
            if (event === undefined) continue;
            doc.apply(event);
            await r.send(event);
            r.expectRecordsOf(doc.document(LEADER));
          }
          expect(r.counts.differences).toBe(0);
          expect(r.logs.filter((l) => l.includes("Reconciliation"))).toEqual([]);
          expect(r.counts.bad).toEqual([]);
          expect(r.counts.down).toEqual([]);
        },
      ),
      { numRuns: 120 },
    );
    expect(polls).toBeGreaterThan(120);
  });

  test("events missed while the stream was away are made good by the next subscription's snapshot", async () => {
    let missed = 0;
    let resyncs = 0;
    const maybeMissed = fc.record({ step: stepArb, missed: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(
        clusterArb,
        fc.array(maybeMissed, { maxLength: 60, size: "max" }),
        async (first, steps) => {
          const r = rig();
          const doc = StreamDoc.fromSubscribed(first);
          await r.poll(doc.document(LEADER));
          await r.send(first);
          let away = false;
          const resync = async () => {
            r.timers.advance(300);
            await settle();
            // The snapshot holds the document: tasks of frameworks it does not list are gone.
            doc.polled();
            await r.send(subscribedEvent(doc.document(LEADER), 15));
            r.expectRecordsOf(doc.document(LEADER));
            expect(r.follower.source).toBe("events");
            away = false;
            resyncs++;
          };
          for (const [i, { step, missed: lost }] of steps.entries()) {
            if (!lost && away) await resync();
            const event = concrete(step, doc, 100 + i);
            if (event === undefined) continue;
            if (lost) {
              if (!away) {
                r.stream().fail();
                await r.flush();
                away = true;
              }
              missed++;
              doc.apply(event);
              continue;
            }
            doc.apply(event);
            await r.send(event);
            r.expectRecordsOf(doc.document(LEADER));
          }
          if (away) await resync();
          expect(r.counts.bad).toEqual([]);
          expect(r.counts.down.every((kind) => kind === "closed")).toBe(true);
        },
      ),
      { numRuns: 120 },
    );
    expect(missed).toBeGreaterThan(120 * 5);
    expect(resyncs).toBeGreaterThan(120 * 3);
  });
});
