/**
 * An {@link EventFollower} wired to an in-process stream, a manual clock and a snapshot
 * store, with helpers that poll a state document and compare the published records with a
 * whole generation.
 */
import { expect } from "bun:test";
import { type Config, defaultConfig } from "../../../src/core/config/config.ts";
import { noAuthenticator } from "../../../src/core/mesos/auth.ts";
import { parseState } from "../../../src/core/mesos/state.ts";
import type { RecordSet } from "../../../src/core/records/record-set.ts";
import { generateRecords } from "../../../src/core/records/records.ts";
import { SnapshotStore } from "../../../src/core/records/snapshot.ts";
import { EventFollower } from "../../../src/core/refresh/event-follower.ts";
import { type FakeStream, fakeStreamPlatform, ManualTimers, settle } from "./_stream-harness.ts";

export const MASTER = "127.0.0.1:5050";
export const LEADER = `master@${MASTER}`;
const masters = [MASTER];
const EPOCH = 1_700_000_000_000;

export function rig(over: Partial<Config> = {}) {
  const config: Config = { ...defaultConfig(), Listener: "127.0.0.1", ...over };
  const timers = new ManualTimers();
  const platform = fakeStreamPlatform();
  const store = new SnapshotStore();
  const logs: string[] = [];
  const counts = { differences: 0, bad: [] as string[], down: [] as string[], messages: 0 };
  let publishes = 0;
  store.onPublish(() => publishes++);
  const follower = new EventFollower({
    platform,
    config,
    store,
    log: {
      info: (m) => logs.push(`info ${m}`),
      warn: (m) => logs.push(`warn ${m}`),
      error: (m) => logs.push(`error ${m}`),
    },
    now: () => EPOCH + timers.now,
    timers,
    random: () => 0.5,
    observer: {
      differences: (n) => {
        counts.differences += n;
      },
      badInput: (kind) => counts.bad.push(kind),
      down: (kind) => counts.down.push(kind),
      message: () => counts.messages++,
    },
  });
  follower.configure(noAuthenticator, { verify: false });

  /** The records a whole generation gives for `doc`. */
  const full = (doc: unknown): RecordSet => {
    const { state } = parseState(doc);
    return generateRecords({ state, config, masters, resolved: new Map(), localAddresses: [] });
  };

  return {
    config,
    timers,
    platform,
    store,
    logs,
    counts,
    follower,
    publishes: () => publishes,
    full,
    /** A successful poll of `doc` from `master`; true when the follower published. */
    async poll(doc: unknown, master = MASTER): Promise<boolean> {
      follower.pollStarted();
      const { state } = parseState(doc);
      const published = follower.polled({
        state,
        records: full(doc),
        resolved: new Map(),
        masters,
        localAddresses: [],
        master,
      });
      // A subscription starts after the authenticator's answer.
      await settle();
      return published;
    },
    /** The newest subscription. */
    stream(): FakeStream {
      const s = platform.streams.at(-1);
      if (!s) throw new Error("no subscription yet");
      return s;
    },
    /** Sends one message and lets it be read and published. */
    async send(message: unknown, stream?: FakeStream): Promise<void> {
      (stream ?? this.stream()).frame(message);
      await this.flush();
    },
    async flush(): Promise<void> {
      await settle();
      timers.advance(5);
      await settle();
    },
    /** The published records equal a whole generation of `doc`. */
    expectRecordsOf(doc: unknown): void {
      const current = store.current();
      expect(current).toBeDefined();
      expect(flat(current!.records)).toEqual(flat(full(doc)));
    },
  };
}

/** Every record as `type name value`, sorted: order inside a name does not matter to DNS. */
export function flat(records: Pick<RecordSet, "a" | "aaaa" | "srv">): string[] {
  const out: string[] = [];
  for (const [type, map] of [
    ["A", records.a],
    ["AAAA", records.aaaa],
    ["SRV", records.srv],
  ] as const) {
    for (const [name, values] of map) for (const v of values) out.push(`${type} ${name} ${v}`);
  }
  return out.sort();
}
