import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LEADER, MASTER, rig } from "./_follower-rig.ts";
import { StreamDoc } from "./_stream-doc.ts";

type Json = Record<string, unknown>;

const local = fileURLToPath(new URL("../../fixtures/operator-stream.ndjson", import.meta.url));
const shared = fileURLToPath(
  new URL("../../../../shared/fixtures/operator-api-subscribe.ndjson", import.meta.url),
);
const haveShared = existsSync(shared);
if (!haveShared && process.env["CI"] !== "true") {
  console.log(
    `event-follower: the captured stream ${shared} is missing; its replay is skipped (required when CI=true)`,
  );
}

function events(path: string): Json[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Json);
}

/** Replays `lines` (SUBSCRIBED first) and checks the records after every event. */
async function replay(lines: Json[]): Promise<ReturnType<typeof rig>> {
  const r = rig();
  const [first, ...rest] = lines;
  const doc = StreamDoc.fromSubscribed(first!);
  expect(await r.poll(doc.document(LEADER))).toBe(false);
  await r.send(first);
  r.expectRecordsOf(doc.document(LEADER));
  expect(r.follower.source).toBe("events");
  for (const event of rest) {
    doc.apply(event);
    await r.send(event);
    r.expectRecordsOf(doc.document(LEADER));
  }
  return r;
}

describe("EventFollower", () => {
  test("replays the bundled stream: after every event the records equal a whole generation", async () => {
    const r = await replay(events(local));
    expect(r.counts.bad).toEqual([]);
    expect(r.logs.filter((l) => l.startsWith("warn"))).toEqual([]);
  });

  test.skipIf(!haveShared)(
    "replays the captured 38-event stream with the same check after every event",
    async () => {
      const lines = events(shared);
      expect(lines).toHaveLength(38);
      const r = await replay(lines);
      expect(r.counts.bad).toEqual([]);
      expect(r.store.current()?.records.a.get("docker-on-bridge.marathon.mesos.")).toBeDefined();
    },
  );

  test("a burst of events is published once, a few milliseconds after it arrives", async () => {
    const lines = events(local);
    const r = rig();
    await r.poll(StreamDoc.fromSubscribed(lines[0]!).document(LEADER));
    await r.send(lines[0]);
    const before = r.publishes();
    const stream = r.stream();
    for (const event of lines.slice(1)) stream.frame(event);
    await r.flush();
    expect(r.publishes()).toBe(before + 1);
  });

  test("polling alone publishes until the stream's snapshot arrives", async () => {
    const r = rig();
    const doc = { leader: LEADER, frameworks: [], slaves: [] };
    expect(await r.poll(doc)).toBe(false);
    expect(r.platform.streams).toHaveLength(1);
    expect(r.stream().url).toBe(`http://${MASTER}/api/v1`);
    expect(r.stream().options.body).toBe('{"type":"SUBSCRIBE"}');
    expect(r.follower.source).toBe("polling");
  });
});
