/**
 * The event follower under faults, in process with a manual clock: streams that break, end
 * or go silent, leader changes, masters without the operator API, bad frames and events, and
 * polls that disagree with the stream. Throughout, the published records must equal a whole
 * generation of the document the follower should hold: the last good one while the stream is
 * away, the new snapshot's after a resync, the polled one after a reconciliation.
 */
import { describe, expect, test } from "bun:test";
import { parseState } from "../../../src/core/mesos/state.ts";
import { flat, LEADER, MASTER, rig } from "./_follower-rig.ts";
import { StreamDoc } from "./_stream-doc.ts";
import type { FakeStream } from "./_stream-harness.ts";
import { settle } from "./_stream-harness.ts";
import {
  type AgentSpec,
  agentRemoved,
  type FrameworkSpec,
  frameworkRemoved,
  heartbeat,
  subscribed,
  type TaskSpec,
  taskAdded,
  taskUpdated,
} from "./_v1-events.ts";

type Json = Record<string, unknown>;
type Rig = ReturnType<typeof rig>;

const MARATHON: FrameworkSpec = { id: "F1", name: "marathon", hostname: "10.0.0.1" };
const CHRONOS: FrameworkSpec = { id: "F2", name: "chronos", hostname: "10.0.0.2" };
const S1: AgentSpec = { id: "S1", ip: "10.0.0.11" };
const S2: AgentSpec = { id: "S2", ip: "10.0.0.12" };
const WEB: TaskSpec = {
  id: "web.1",
  name: "web",
  framework: "F1",
  agent: "S1",
  ports: [31000, 31001],
  ips: ["10.1.0.1"],
};
const DB: TaskSpec = {
  id: "db.1",
  name: "db",
  framework: "F1",
  agent: "S2",
  ports: [31002],
  discovery: { name: "database", ports: [{ number: 5432, name: "pg", protocol: "tcp" }] },
};
const CRON: TaskSpec = { id: "cron.1", name: "cron", framework: "F2", agent: "S2", ports: [31003] };

/** The first snapshot of most tests: two frameworks, two agents, three tasks. */
const FIRST = subscribed({ frameworks: [MARATHON, CHRONOS], agents: [S1, S2], tasks: [WEB, DB, CRON] });

/**
 * What the master holds after the stream was away: a task gone, a task added, one with a new
 * network IP, a framework renamed, an agent moved to another address and an agent gone.
 */
const AWAY = subscribed({
  frameworks: [{ ...MARATHON, name: "marathon-two" }, CHRONOS],
  agents: [{ id: "S1", ip: "10.0.0.21" }],
  tasks: [
    { ...WEB, ips: ["10.1.0.9"], timestamp: 7 },
    { id: "api.1", name: "api", framework: "F2", agent: "S1", ports: [31010] },
    CRON,
  ],
});

/** Polls the snapshot's document, opens the stream and sends the snapshot; the follower is live. */
async function live(r: Rig, first: Json = FIRST): Promise<StreamDoc> {
  const doc = StreamDoc.fromSubscribed(first);
  expect(await r.poll(doc.document(LEADER))).toBe(false);
  await r.send(first);
  r.expectRecordsOf(doc.document(LEADER));
  expect(r.follower.source).toBe("events");
  return doc;
}

/** Applies `event` to the document and sends it; the records follow. */
async function step(r: Rig, doc: StreamDoc, event: Json): Promise<void> {
  doc.apply(event);
  await r.send(event);
  r.expectRecordsOf(doc.document(LEADER));
}

/**
 * A new subscription opens after the backoff, and not before: none within half of `baseMs`
 * (the shortest jittered delay), one by `baseMs`. Returns the new stream.
 */
async function resubscribes(r: Rig, baseMs: number): Promise<FakeStream> {
  const before = r.platform.streams.length;
  await settle();
  r.timers.advance(baseMs / 2 - 1);
  await settle();
  expect(r.platform.streams.length).toBe(before);
  r.timers.advance(baseMs / 2 + 1);
  await settle();
  expect(r.platform.streams.length).toBe(before + 1);
  const stream = r.stream();
  expect(stream.url).toBe(`http://${MASTER}/api/v1`);
  expect(stream.options.body).toBe('{"type":"SUBSCRIBE"}');
  return stream;
}

/** A fresh snapshot on `stream` resyncs: the records equal its document's. */
async function resyncs(r: Rig, stream: FakeStream, snapshot: Json = AWAY): Promise<StreamDoc> {
  const doc = StreamDoc.fromSubscribed(snapshot);
  await r.send(snapshot, stream);
  r.expectRecordsOf(doc.document(LEADER));
  expect(r.follower.source).toBe("events");
  return doc;
}

/** Nothing went wrong inside the follower: no internal error turned into a stream fault. */
function noInternalErrors(r: Rig): void {
  expect(r.logs.filter((l) => l.includes("internal error"))).toEqual([]);
}

const warnings = (r: Rig) => r.logs.filter((l) => l.startsWith("warn "));

describe("EventFollower: the stream goes away and comes back", () => {
  const faults: Array<[string, (r: Rig, s: FakeStream) => Promise<void>, string, RegExp]> = [
    [
      "a cut stream",
      async (r, s) => {
        s.fail("connection reset by peer");
        await r.flush();
      },
      "closed",
      /broke: connection reset by peer; reconnecting/,
    ],
    [
      "a stream the master closes",
      async (r, s) => {
        s.end();
        await r.flush();
      },
      "closed",
      /The master closed the event stream/,
    ],
    [
      "a stream that goes silent for twice the heartbeat interval",
      async (r) => {
        // SUBSCRIBED said 15 s: 30 s of silence is allowed, a little more is not.
        r.timers.advance(29_000);
        await settle();
        expect(r.counts.down).toEqual([]);
        r.timers.advance(1_001);
        await settle();
      },
      "heartbeat",
      /No message from "http:\/\/127\.0\.0\.1:5050\/api\/v1" for 30 s; reconnecting/,
    ],
  ];

  for (const [what, fault, kind, logged] of faults) {
    test(`${what}: records stay, a new subscription follows the backoff, its snapshot resyncs`, async () => {
      const r = rig();
      const doc = await live(r);
      await step(r, doc, taskAdded({ id: "late.1", name: "late", framework: "F2", agent: "S1" }));
      const old = r.stream();
      await fault(r, old);
      expect(r.counts.down).toEqual([kind]);
      expect(r.counts.bad).toEqual([]);
      expect(old.cancelled).toBe(true);
      expect(warnings(r).filter((l) => logged.test(l))).toHaveLength(1);
      expect(r.follower.source).toBe("polling");
      // Meanwhile the records are those of the last good document.
      r.expectRecordsOf(doc.document(LEADER));
      const stream = await resubscribes(r, 250);
      r.expectRecordsOf(doc.document(LEADER));
      const after = await resyncs(r, stream);
      // And the resynced view takes events again.
      await step(r, after, taskUpdated("F1", "web.1", "S1", "TASK_KILLED"));
      noInternalErrors(r);
    });
  }

  test("heartbeats keep a quiet stream open", async () => {
    const r = rig();
    await live(r);
    for (let i = 0; i < 10; i++) {
      r.timers.advance(14_000);
      await r.send(heartbeat());
    }
    expect(r.counts.down).toEqual([]);
    expect(r.platform.streams).toHaveLength(1);
    expect(r.follower.source).toBe("events");
  });

  test("faults in a row back off longer each time; a snapshot starts the backoff again", async () => {
    const r = rig();
    const doc = await live(r);
    r.stream().fail();
    let stream = await resubscribes(r, 250);
    stream.fail();
    stream = await resubscribes(r, 500);
    stream.end();
    stream = await resubscribes(r, 1000);
    expect(r.counts.down).toEqual(["closed", "closed", "closed"]);
    // One warning per cause, not one per retry.
    expect(warnings(r).filter((l) => l.includes("broke: connection reset"))).toHaveLength(1);
    r.expectRecordsOf(doc.document(LEADER));
    await resyncs(r, stream);
    stream.fail();
    await resubscribes(r, 250);
  });

  // Each kind of change the stream may have missed, alone: the resync must catch it.
  const missed: Array<[string, Json]> = [
    [
      "a task added",
      subscribed({
        frameworks: [MARATHON, CHRONOS],
        agents: [S1, S2],
        tasks: [WEB, DB, CRON, { ...CRON, id: "cron.2" }],
      }),
    ],
    ["a task gone", subscribed({ frameworks: [MARATHON, CHRONOS], agents: [S1, S2], tasks: [WEB, CRON] })],
    [
      "a task's new network IP",
      subscribed({
        frameworks: [MARATHON, CHRONOS],
        agents: [S1, S2],
        tasks: [{ ...WEB, ips: ["10.1.0.7"], timestamp: 9 }, DB, CRON],
      }),
    ],
    [
      "a framework renamed",
      subscribed({
        frameworks: [{ ...MARATHON, name: "marathon-two" }, CHRONOS],
        agents: [S1, S2],
        tasks: [WEB, DB, CRON],
      }),
    ],
    [
      "a framework's new hostname",
      subscribed({
        frameworks: [{ ...MARATHON, hostname: "10.0.0.99" }, CHRONOS],
        agents: [S1, S2],
        tasks: [WEB, DB, CRON],
      }),
    ],
    [
      "a framework gone with its tasks",
      subscribed({ frameworks: [MARATHON], agents: [S1, S2], tasks: [WEB, DB] }),
    ],
    [
      "an agent at a new address",
      subscribed({
        frameworks: [MARATHON, CHRONOS],
        agents: [S1, { id: "S2", ip: "10.0.0.42" }],
        tasks: [WEB, DB, CRON],
      }),
    ],
    [
      "an agent gone, its tasks still listed",
      subscribed({ frameworks: [MARATHON, CHRONOS], agents: [S1], tasks: [WEB, DB, CRON] }),
    ],
  ];

  for (const [what, snapshot] of missed) {
    test(`a resync finds ${what} while the stream was away`, async () => {
      const r = rig();
      await live(r);
      r.stream().fail();
      const stream = await resubscribes(r, 250);
      await resyncs(r, stream, snapshot);
      noInternalErrors(r);
    });
  }

  test("a resync makes records for tasks whose framework or agent became known while away", async () => {
    const r = rig();
    // Tasks of a framework and on an agent the snapshot does not know: no records yet.
    const first = subscribed({
      frameworks: [MARATHON],
      agents: [S1],
      tasks: [WEB, CRON, { ...DB, agent: "S3" }],
    });
    await live(r, first);
    r.stream().end();
    const stream = await resubscribes(r, 250);
    await resyncs(
      r,
      stream,
      subscribed({
        frameworks: [MARATHON, CHRONOS],
        agents: [S1, { id: "S3", ip: "10.0.0.13" }],
        tasks: [WEB, CRON, { ...DB, agent: "S3" }],
      }),
    );
  });
});

/** A snapshot with `n` tasks on one agent: more than one slice of a rebuild. */
function bigSnapshot(n: number, framework: FrameworkSpec = MARATHON): Json {
  const tasks: TaskSpec[] = Array.from({ length: n }, (_, i) => ({
    id: `t${i}.1`,
    name: `t${i}`,
    framework: framework.id,
    agent: "S1",
    ports: [31000 + (i % 100)],
  }));
  return subscribed({ frameworks: [framework], agents: [S1], tasks });
}

describe("EventFollower: snapshots too large to build in one go", () => {
  test("events that arrive while a snapshot is built in slices are applied after it", async () => {
    const r = rig();
    const big = bigSnapshot(4500);
    const doc = StreamDoc.fromSubscribed(big);
    await r.poll(doc.document(LEADER));
    r.stream().frame(big);
    await settle();
    for (const event of [
      taskAdded({ id: "late.1", name: "late", framework: "F1", agent: "S1" }),
      taskUpdated("F1", "t7.1", "S1", "TASK_KILLED"),
    ]) {
      doc.apply(event);
      r.stream().frame(event);
    }
    await settle();
    for (let i = 0; i < 5; i++) await r.flush();
    expect(r.follower.source).toBe("events");
    r.expectRecordsOf(doc.document(LEADER));
    expect(r.counts.bad).toEqual([]);
  });

  test("a resync while the previous snapshot is still being built: the newer snapshot and its events win", async () => {
    const r = rig();
    const first = bigSnapshot(4500);
    await r.poll(StreamDoc.fromSubscribed(first).document(LEADER));
    const old = r.stream();
    old.frame(first);
    await settle();
    // The first snapshot's records are being built; events queue behind it.
    old.frame(taskUpdated("F1", "t1.1", "S1", "TASK_KILLED"));
    await settle();
    old.fail();
    await settle();
    // The backoff passes (and one more slice of the first build runs): a new subscription.
    r.timers.advance(250);
    await settle();
    expect(r.platform.streams).toHaveLength(2);
    const second = bigSnapshot(4500, { ...MARATHON, name: "marathon-two" });
    const doc = StreamDoc.fromSubscribed(second);
    const stream = r.stream();
    stream.frame(second);
    await settle();
    const event = taskAdded({ id: "late.1", name: "late", framework: "F1", agent: "S1" });
    doc.apply(event);
    stream.frame(event);
    await settle();
    for (let i = 0; i < 10; i++) await r.flush();
    r.expectRecordsOf(doc.document(LEADER));
    expect(r.follower.source).toBe("events");
    expect(r.counts.bad).toEqual([]);
    expect(r.counts.down).toEqual(["closed"]);
    // And the view is the second snapshot's: events on the new stream go on applying.
    const next = taskUpdated("F1", "t2.1", "S1", "TASK_FINISHED");
    doc.apply(next);
    await r.send(next, stream);
    r.expectRecordsOf(doc.document(LEADER));
    expect(r.counts.bad).toEqual([]);
    expect(r.counts.down).toEqual(["closed"]);
  });
});

describe("EventFollower: snapshots too large to build in one go (more)", () => {
  test("a master found without the operator API while a snapshot is being built: polling only", async () => {
    const r = rig();
    const big = bigSnapshot(4500);
    const doc = StreamDoc.fromSubscribed(big).document(LEADER);
    await r.poll(doc);
    r.stream().frame(big);
    await settle();
    r.stream().fail();
    await settle();
    r.platform.status = 404;
    r.timers.advance(250);
    await settle();
    expect(r.logs.filter((l) => l.includes("has no operator API"))).toHaveLength(1);
    for (let i = 0; i < 10; i++) await r.flush();
    expect(r.follower.source).toBe("polling");
    // The build that was under way must not bring the stream's records back.
    expect(await r.poll(doc)).toBe(false);
  });
});

describe("EventFollower: leader changes", () => {
  test("a poll answered by another master subscribes to that master; its snapshot resyncs", async () => {
    const r = rig();
    await live(r);
    const old = r.stream();
    const other = "10.0.0.50:5050";
    const polled = StreamDoc.fromSubscribed(AWAY).document(`master@${other}`);
    expect(await r.poll(polled, other)).toBe(true);
    // The old stream is dropped at once, not after a backoff.
    expect(old.cancelled).toBe(true);
    expect(r.platform.streams).toHaveLength(2);
    const stream = r.stream();
    expect(stream.url).toBe(`http://${other}/api/v1`);
    expect(r.counts.down).toEqual([]);
    // Until its snapshot arrives, the polled records stand.
    r.expectRecordsOf(polled);
    const doc = StreamDoc.fromSubscribed(AWAY);
    await r.send(AWAY, stream);
    expect(r.follower.source).toBe("events");
    // The leader (and its records) is what the poll found.
    r.expectRecordsOf(doc.document(`master@${other}`));
    const event = taskAdded({ id: "new.1", name: "new", framework: "F1", agent: "S1" });
    doc.apply(event);
    await r.send(event, stream);
    r.expectRecordsOf(doc.document(`master@${other}`));
    // A poll of the same master again does not resubscribe.
    expect(await r.poll(doc.document(`master@${other}`), other)).toBe(true);
    expect(r.platform.streams).toHaveLength(2);
    noInternalErrors(r);
  });
});

describe("EventFollower: a master without the operator API", () => {
  for (const status of [404, 405, 501]) {
    test(`HTTP ${status}: polling only, each poll publishes, logged once, until the master changes`, async () => {
      const r = rig();
      r.platform.status = status;
      const doc = StreamDoc.fromSubscribed(FIRST).document(LEADER);
      expect(await r.poll(doc)).toBe(false);
      expect(r.follower.source).toBe("polling");
      for (let i = 0; i < 3; i++) {
        r.timers.advance(60_000);
        expect(await r.poll(doc)).toBe(false);
      }
      // Not asked again, not even after any backoff.
      r.timers.advance(120_000);
      await settle();
      expect(r.platform.streams).toHaveLength(1);
      expect(r.logs.filter((l) => l.includes("has no operator API"))).toEqual([
        `info Master "${MASTER}" has no operator API (HTTP ${status}): following it by polling every ${r.config.RefreshSeconds} s`,
      ]);
      expect(r.counts.down).toEqual([]);
      expect(r.publishes()).toBe(0);
      // Another leader is asked.
      r.platform.status = 200;
      const other = "10.0.0.50:5050";
      expect(await r.poll(doc, other)).toBe(false);
      expect(r.platform.streams).toHaveLength(2);
      await r.send(FIRST);
      expect(r.follower.source).toBe("events");
      r.expectRecordsOf(doc);
    });
  }

  test("a live stream whose master loses the operator API falls back to polling", async () => {
    const r = rig();
    const doc = await live(r);
    r.platform.status = 404;
    r.stream().fail();
    await resubscribes(r, 250);
    await settle();
    expect(r.follower.source).toBe("polling");
    expect(await r.poll(doc.document(LEADER))).toBe(false);
    expect(r.logs.filter((l) => l.includes("has no operator API"))).toHaveLength(1);
    r.timers.advance(120_000);
    await settle();
    expect(r.platform.streams).toHaveLength(2);
  });
});

describe("EventFollower: bad input", () => {
  const bad: Array<[string, (r: Rig, s: FakeStream) => void, string, string, RegExp]> = [
    [
      "a length line that is not a number",
      (_r, s) => s.raw("12x\n{}"),
      "bad-frame",
      "bad-frame",
      /not a decimal number/,
    ],
    [
      "a length over StateMaxBytes",
      (r, s) => s.raw(`${r.config.StateMaxBytes + 1}\n{"type":"HEARTBEAT"}`),
      "bad-frame",
      "bad-frame",
      /over the limit/,
    ],
    [
      "a length that disagrees with its body, cutting the JSON",
      (_r, s) =>
        s.raw(`20\n${JSON.stringify(taskAdded({ id: "x.1", name: "x", framework: "F1", agent: "S1" }))}`),
      "bad-event",
      "bad-event",
      /not valid JSON/,
    ],
    [
      "invalid JSON",
      (_r, s) => s.frame('{"type": "TASK_ADDED", "task_added": '),
      "bad-event",
      "bad-event",
      /not valid JSON/,
    ],
    [
      "a TASK_ADDED whose task is malformed",
      (_r, s) =>
        s.frame({
          type: "TASK_ADDED",
          task_added: {
            task: { name: "x", task_id: { value: "x.1" }, framework_id: { value: "F1" }, agent_id: 5 },
          },
        }),
      "bad-event",
      "bad-event",
      /task_added\.task\.agent_id/,
    ],
    [
      "TASK_UPDATED for a task never seen",
      (_r, s) => s.frame(taskUpdated("F1", "ghost.1", "S1", "TASK_RUNNING", ["10.1.0.3"])),
      "unknown-entity",
      "resync",
      /TASK_UPDATED for task "ghost\.1" of framework "F1", never seen/,
    ],
    [
      "AGENT_REMOVED for an unknown agent",
      (_r, s) => s.frame(agentRemoved("S9")),
      "unknown-entity",
      "resync",
      /AGENT_REMOVED for agent "S9", never seen/,
    ],
    [
      "FRAMEWORK_REMOVED for an unknown framework",
      (_r, s) => s.frame(frameworkRemoved("F9")),
      "unknown-entity",
      "resync",
      /FRAMEWORK_REMOVED for framework "F9", never seen/,
    ],
  ];

  for (const [what, send, badKind, downKind, logged] of bad) {
    test(`${what}: a warning, a count, a resync; nothing half applied`, async () => {
      const r = rig();
      const doc = await live(r);
      await step(r, doc, taskUpdated("F1", "web.1", "S1", "TASK_RUNNING", ["10.1.0.4"], 3));
      const before = r.publishes();
      send(r, r.stream());
      await r.flush();
      expect(r.counts.bad).toEqual([badKind]);
      expect(r.counts.down).toEqual([downKind]);
      expect(warnings(r).filter((l) => logged.test(l)).length).toBeGreaterThanOrEqual(1);
      // The records are the previous document's, and nothing was published for the bad input.
      r.expectRecordsOf(doc.document(LEADER));
      expect(r.publishes()).toBe(before);
      expect(r.follower.source).toBe("polling");
      const stream = await resubscribes(r, 250);
      r.expectRecordsOf(doc.document(LEADER));
      await resyncs(r, stream);
      noInternalErrors(r);
    });
  }

  test("an event before SUBSCRIBED: a warning, a count, another subscription; records stay", async () => {
    const r = rig();
    const doc = await live(r);
    r.stream().fail();
    let stream = await resubscribes(r, 250);
    stream.frame(taskAdded({ id: "early.1", name: "early", framework: "F1", agent: "S1" }));
    await r.flush();
    expect(r.counts.bad).toEqual(["bad-event"]);
    expect(r.counts.down).toEqual(["closed", "bad-event"]);
    expect(warnings(r).filter((l) => l.includes("began with TASK_ADDED, not SUBSCRIBED"))).toHaveLength(1);
    r.expectRecordsOf(doc.document(LEADER));
    // No snapshot came between the faults: the backoff has doubled.
    stream = await resubscribes(r, 500);
    await resyncs(r, stream);
    noInternalErrors(r);
  });

  test("an unknown event type: a warning and a count, no resync; later events still apply", async () => {
    const r = rig();
    const doc = await live(r);
    await r.send({
      type: "OPERATION_UPDATED",
      operation_updated: { status: { state: "OPERATION_FINISHED" } },
    });
    expect(r.counts.bad).toEqual(["unknown-event"]);
    expect(r.counts.down).toEqual([]);
    expect(warnings(r)).toEqual(['warn Event stream: unknown event type "OPERATION_UPDATED" ignored']);
    // Well past any backoff (and within the heartbeat allowance): no new subscription.
    r.timers.advance(10_000);
    await settle();
    expect(r.platform.streams).toHaveLength(1);
    expect(r.follower.source).toBe("events");
    await step(r, doc, taskAdded({ id: "after.1", name: "after", framework: "F2", agent: "S1" }));
  });

  test("a late update for a task already gone is taken quietly", async () => {
    const r = rig();
    const doc = await live(r);
    await step(r, doc, taskUpdated("F1", "web.1", "S1", "TASK_KILLED"));
    await step(r, doc, taskUpdated("F1", "web.1", "S1", "TASK_KILLED", undefined, 4));
    expect(r.counts.bad).toEqual([]);
    expect(r.counts.down).toEqual([]);
  });
});

/** The names (as `TYPE name`) whose values differ between two flat record lists. */
function differingNames(a: readonly string[], b: readonly string[]): string[] {
  const group = (lines: readonly string[]) => {
    const out = new Map<string, Set<string>>();
    for (const line of lines) {
      const [type, name, ...value] = line.split(" ");
      const key = `${type} ${name}`;
      const values = out.get(key) ?? new Set<string>();
      values.add(value.join(" "));
      out.set(key, values);
    }
    return out;
  };
  const x = group(a);
  const y = group(b);
  const keys = new Set([...x.keys(), ...y.keys()]);
  return [...keys].filter((k) => {
    const p = x.get(k);
    const q = y.get(k);
    return !p || !q || p.size !== q.size || [...p].some((v) => !q.has(v));
  });
}

describe("EventFollower: reconciliation with the poll", () => {
  const cases: Array<[string, Json, Json]> = [
    [
      "a task the stream missed",
      FIRST,
      subscribed({
        frameworks: [MARATHON, CHRONOS],
        agents: [S1, S2],
        tasks: [
          WEB,
          DB,
          CRON,
          { id: "missed.1", name: "missed", framework: "F2", agent: "S1", ports: [31020] },
        ],
      }),
    ],
    [
      "a task the stream has and the poll has not",
      FIRST,
      subscribed({ frameworks: [MARATHON, CHRONOS], agents: [S1, S2], tasks: [WEB, CRON] }),
    ],
    [
      "a framework rename the stream missed",
      FIRST,
      subscribed({
        frameworks: [{ ...MARATHON, name: "marathon-two" }, CHRONOS],
        agents: [S1, S2],
        tasks: [WEB, DB, CRON],
      }),
    ],
  ];

  for (const [what, streamed, polledSnapshot] of cases) {
    test(`${what}: the differing names are counted, one summary line, the poll wins`, async () => {
      const r = rig();
      const doc = await live(r, streamed);
      const polled = StreamDoc.fromSubscribed(polledSnapshot).document(LEADER);
      const expected = differingNames(flat(r.full(doc.document(LEADER))), flat(r.full(polled)));
      expect(expected.length).toBeGreaterThan(0);
      expect(await r.poll(polled)).toBe(true);
      expect(r.counts.differences).toBe(expected.length);
      const lines = r.logs.filter((l) => l.includes("Reconciliation"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toStartWith(`warn Reconciliation: ${expected.length} name(s) differed`);
      r.expectRecordsOf(polled);
      // The view took the poll: events go on from there, and a second poll agrees.
      expect(await r.poll(polled)).toBe(true);
      expect(r.counts.differences).toBe(expected.length);
      r.expectRecordsOf(polled);
      expect(r.follower.source).toBe("events");
      noInternalErrors(r);
    });
  }

  test("a poll that agrees counts nothing and logs nothing", async () => {
    const r = rig();
    const doc = await live(r);
    await step(
      r,
      doc,
      taskAdded({ id: "more.1", name: "more", framework: "F1", agent: "S2", ips: ["10.1.0.8"] }),
    );
    await step(r, doc, taskUpdated("F2", "cron.1", "S2", "TASK_FINISHED"));
    const before = r.publishes();
    expect(await r.poll(doc.document(LEADER))).toBe(true);
    expect(r.publishes()).toBeGreaterThan(before);
    expect(r.counts.differences).toBe(0);
    expect(r.logs.filter((l) => l.includes("Reconciliation"))).toEqual([]);
    r.expectRecordsOf(doc.document(LEADER));
  });

  test("events that arrive while a poll is under way are newer than it: they are kept, not counted", async () => {
    const r = rig();
    const doc = await live(r);
    const polled = doc.document(LEADER);
    const snapshotOfPoll = JSON.parse(JSON.stringify(polled)) as Json;
    r.follower.pollStarted();
    // The poll's answer is on its way; meanwhile the stream reports a launch and a kill.
    await step(
      r,
      doc,
      taskAdded({ id: "new.1", name: "new", framework: "F2", agent: "S1", ips: ["10.1.0.6"] }),
    );
    await step(r, doc, taskUpdated("F1", "web.1", "S1", "TASK_KILLED"));
    const published = r.follower.polled({
      state: parseState(snapshotOfPoll).state,
      records: r.full(snapshotOfPoll),
      resolved: new Map(),
      masters: [MASTER],
      localAddresses: [],
      master: MASTER,
    });
    expect(published).toBe(true);
    await r.flush();
    expect(r.counts.differences).toBe(0);
    expect(r.logs.filter((l) => l.includes("Reconciliation"))).toEqual([]);
    r.expectRecordsOf(doc.document(LEADER));
  });

  test("while the stream is away, a poll reconciles the last good records", async () => {
    const r = rig();
    await live(r);
    r.stream().fail();
    await r.flush();
    const polled = StreamDoc.fromSubscribed(AWAY).document(LEADER);
    expect(await r.poll(polled)).toBe(true);
    r.expectRecordsOf(polled);
    const stream = await resubscribes(r, 250);
    await resyncs(r, stream);
  });
});
