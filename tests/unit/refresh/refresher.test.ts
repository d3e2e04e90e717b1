import { describe, expect, test } from "bun:test";
import { memoryPlatform } from "../../../src/adapters/memory.ts";
import { type Config, defaultConfig } from "../../../src/core/config/config.ts";
import { type MasterDetector, staticDetector } from "../../../src/core/mesos/master-detector.ts";
import type { MastersList } from "../../../src/core/mesos/masters-list.ts";
import { type HttpRequestOptions, type HttpResponseData, NetError } from "../../../src/core/platform.ts";
import { SnapshotStore } from "../../../src/core/records/snapshot.ts";
import { Refresher, type RefreshResult, type Timers } from "../../../src/core/refresh/refresher.ts";

/** Timers driven by hand: `advance(ms)` fires what falls due, in order. */
class ManualTimers implements Timers {
  now = 0;
  #next = 1;
  #pending = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#pending.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.#pending.entries()]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#pending.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = end;
  }
}

/** A detector the test drives. */
function manualDetector() {
  let listener: ((m: MastersList) => void) | undefined;
  const detector: MasterDetector = {
    start: (l) => {
      listener = l;
    },
    stop: async () => {},
  };
  return { detector, emit: (m: string[]) => listener?.(m) };
}

const STATE = (leader: string) =>
  JSON.stringify({
    leader,
    frameworks: [],
    slaves: [{ id: "s1", pid: "slave(1)@10.0.0.9:5051", hostname: "agent1" }],
  });

function setup(configPatch: Partial<Config> = {}, detector?: MasterDetector) {
  const timers = new ManualTimers();
  const platform = memoryPlatform();
  const answers = new Map<string, () => Promise<{ status: number; body: string }>>();
  const calls: string[] = [];
  platform.httpRequest = async (url: string, _o: HttpRequestOptions): Promise<HttpResponseData> => {
    calls.push(url);
    const answer = answers.get(new URL(url).host);
    if (!answer) throw new NetError("CONNECTION_REFUSED", "connection refused");
    const { status, body } = await answer();
    return { status, url, headers: new Headers(), body: new TextEncoder().encode(body) };
  };
  const config: Config = {
    ...defaultConfig(),
    Masters: ["10.0.0.1:5050"],
    RefreshSeconds: 60,
    ...configPatch,
  };
  const store = new SnapshotStore();
  const logs: string[] = [];
  const log = {
    info: (m: string) => logs.push(`info: ${m}`),
    warn: (m: string) => logs.push(`warn: ${m}`),
    error: (m: string) => logs.push(`error: ${m}`),
  };
  const results: RefreshResult[] = [];
  const fatal: string[] = [];
  const refresher = new Refresher({
    platform,
    config,
    detector: detector ?? staticDetector(config),
    store,
    log,
    now: () => 1_700_000_000_000 + timers.now,
    timers,
    onFatal: (m) => fatal.push(m),
    onRefresh: (r) => results.push(r),
  });
  const serve = (host: string, body: string, status = 200) =>
    answers.set(host, async () => ({ status, body }));
  return { refresher, store, timers, logs, results, fatal, answers, calls, serve, platform };
}

const settle = () => new Promise((r) => setTimeout(r, 5));
const leaderA = (t: ReturnType<typeof setup>) => t.store.current()?.records.a.get("leader.mesos.");

describe("Refresher (docs/spec.md §7)", () => {
  test("with static masters, refreshes at once and publishes records, serial, leader and masters", async () => {
    const t = setup();
    t.serve("10.0.0.1:5050", STATE("master@10.0.0.1:5050"));
    t.refresher.start();
    await settle();
    const snap = t.store.current();
    expect(snap?.serial).toBe(1_700_000_000);
    expect(snap?.leader).toBe("master@10.0.0.1:5050");
    expect(snap?.masters).toEqual(["10.0.0.1:5050"]);
    expect(leaderA(t)).toEqual(["10.0.0.1"]);
    expect(t.results).toHaveLength(1);
    expect(t.results[0]?.ok).toBe(true);
    expect(t.logs).toContain('info: State loaded from master "10.0.0.1:5050"');
    await t.refresher.stop();
  });

  test("refreshes again every RefreshSeconds with a new serial", async () => {
    const t = setup({ RefreshSeconds: 30 });
    t.serve("10.0.0.1:5050", STATE("master@10.0.0.1:5050"));
    t.refresher.start();
    await settle();
    t.timers.advance(30_000);
    await settle();
    expect(t.results).toHaveLength(2);
    expect(t.store.current()?.serial).toBe(1_700_000_030);
    await t.refresher.stop();
  });

  test("a failed refresh keeps the last snapshot and logs once per failure streak, then the recovery", async () => {
    const t = setup();
    t.serve("10.0.0.1:5050", STATE("master@10.0.0.1:5050"));
    t.refresher.start();
    await settle();
    const good = t.store.current();
    t.serve("10.0.0.1:5050", "oops", 500);
    for (let i = 0; i < 3; i++) {
      t.timers.advance(60_000);
      await settle();
    }
    expect(t.store.current()).toBe(good);
    const errors = t.logs.filter((l) => l.startsWith("error:"));
    expect(errors).toEqual([
      `error: Cannot load state: Cannot fetch state from master "10.0.0.1:5050": HTTP 500; keeping the records loaded at ${new Date(1_700_000_000_000).toISOString()}`,
    ]);
    expect(t.refresher.failureStreak).toBe(3);
    expect(t.results.map((r) => r.ok)).toEqual([true, false, false, false]);
    t.serve("10.0.0.1:5050", STATE("master@10.0.0.1:5050"));
    t.timers.advance(60_000);
    await settle();
    expect(t.store.current()).not.toBe(good);
    expect(t.logs).toContain(
      'info: State loaded again from master "10.0.0.1:5050" after 3 failed refresh(es)',
    );
    await t.refresher.stop();
  });

  test("ticks that arrive during a running refresh are dropped", async () => {
    const t = setup({ RefreshSeconds: 1 });
    let release: () => void = () => {};
    t.answers.set(
      "10.0.0.1:5050",
      () =>
        new Promise((r) => {
          release = () => r({ status: 200, body: STATE("master@10.0.0.1:5050") });
        }),
    );
    t.refresher.start();
    await settle();
    t.timers.advance(5_000);
    release();
    await settle();
    expect(t.calls).toHaveLength(1);
    await t.refresher.stop();
  });

  test("refreshNow() during a running refresh shares one follow-up refresh", async () => {
    const t = setup();
    t.serve("10.0.0.1:5050", STATE("master@10.0.0.1:5050"));
    const first = t.refresher.refreshNow();
    const a = t.refresher.refreshNow();
    const b = t.refresher.refreshNow();
    expect(a).toBe(b);
    expect(await first).toBe(true);
    expect(await a).toBe(true);
    expect(t.calls).toHaveLength(2);
  });

  test("each detector change replaces the masters list and refreshes from the new leader", async () => {
    const m = manualDetector();
    const t = setup({ Zk: "zk://127.0.0.1:2181/mesos" }, m.detector);
    t.serve("10.0.0.1:5050", STATE("master@10.0.0.1:5050"));
    t.serve("10.0.0.2:5050", STATE("master@10.0.0.2:5050"));
    t.refresher.start();
    expect(t.refresher.masters).toEqual(["", "10.0.0.1:5050"]);
    m.emit(["10.0.0.2:5050", "10.0.0.1:5050"]);
    await settle();
    expect(leaderA(t)).toEqual(["10.0.0.2"]);
    expect(t.store.current()?.masters).toEqual(["10.0.0.2:5050", "10.0.0.1:5050"]);
    expect(t.logs).toContain('info: Leading master is now "10.0.0.2:5050"');
    await t.refresher.stop();
  });

  test("a leader change refreshes from the new leader at once while a refresh hangs on the old one", async () => {
    const m = manualDetector();
    const t = setup({ Zk: "zk://127.0.0.1:2181/mesos" }, m.detector);
    let releaseA: (answer: { status: number; body: string }) => void = () => {};
    t.answers.set("10.0.0.1:5050", () => new Promise((r) => (releaseA = r)));
    t.serve("10.0.0.2:5050", STATE("master@10.0.0.2:5050"));
    t.refresher.start();
    m.emit(["10.0.0.1:5050"]);
    await settle();
    m.emit(["10.0.0.2:5050", "10.0.0.1:5050"]);
    await settle();
    expect(leaderA(t)).toEqual(["10.0.0.2"]);
    const published = t.store.current();
    // The old refresh ends later, successfully: it was superseded, so it publishes nothing.
    releaseA({ status: 200, body: STATE("master@10.0.0.1:5050") });
    await settle();
    expect(t.store.current()).toBe(published);
    expect(t.results.map((r) => r.ok)).toEqual([true]);
    await t.refresher.stop();
  });

  test("a superseded refresh that fails later logs and counts nothing", async () => {
    const m = manualDetector();
    const t = setup({ Zk: "zk://127.0.0.1:2181/mesos" }, m.detector);
    let releaseA: (answer: { status: number; body: string }) => void = () => {};
    t.answers.set("10.0.0.1:5050", () => new Promise((r) => (releaseA = r)));
    t.serve("10.0.0.2:5050", STATE("master@10.0.0.2:5050"));
    t.refresher.start();
    m.emit(["10.0.0.1:5050"]);
    await settle();
    m.emit(["10.0.0.2:5050"]);
    await settle();
    releaseA({ status: 503, body: "" });
    await settle();
    expect(t.logs.filter((l) => l.startsWith("error:"))).toEqual([]);
    expect(t.refresher.failureStreak).toBe(0);
    expect(leaderA(t)).toEqual(["10.0.0.2"]);
    await t.refresher.stop();
  });

  test("a membership change with the same leader waits for the running refresh (one follow-up)", async () => {
    const m = manualDetector();
    const t = setup({ Zk: "zk://127.0.0.1:2181/mesos" }, m.detector);
    let release: () => void = () => {};
    t.answers.set(
      "10.0.0.1:5050",
      () => new Promise((r) => (release = () => r({ status: 200, body: STATE("master@10.0.0.1:5050") }))),
    );
    t.refresher.start();
    m.emit(["10.0.0.1:5050"]);
    await settle();
    m.emit(["10.0.0.1:5050", "10.0.0.3:5050"]);
    m.emit(["10.0.0.1:5050", "10.0.0.3:5050", "10.0.0.4:5050"]);
    await settle();
    expect(t.calls).toHaveLength(1);
    release();
    await settle();
    release();
    await settle();
    expect(t.calls).toHaveLength(2);
    expect(t.store.current()?.masters).toEqual(["10.0.0.1:5050", "10.0.0.3:5050", "10.0.0.4:5050"]);
    await t.refresher.stop();
  });

  test("stop() cancels a queued follow-up refresh", async () => {
    const t = setup();
    let release: () => void = () => {};
    t.answers.set(
      "10.0.0.1:5050",
      () => new Promise((r) => (release = () => r({ status: 200, body: STATE("master@10.0.0.1:5050") }))),
    );
    const running = t.refresher.refreshNow();
    const followUp = t.refresher.refreshNow();
    await settle();
    await t.refresher.stop();
    release();
    expect(await running).toBe(false);
    expect(await followUp).toBe(false);
    await settle();
    expect(t.calls).toHaveLength(1);
  });

  test("a failure streak logs each change of cause once, not each attempt, and one recovery line", async () => {
    const t = setup();
    t.serve("10.0.0.1:5050", STATE("master@10.0.0.1:5050"));
    t.refresher.start();
    await settle();
    for (const status of [500, 500, 503, 503, 500]) {
      t.serve("10.0.0.1:5050", "oops", status);
      t.timers.advance(60_000);
      await settle();
    }
    t.serve("10.0.0.1:5050", STATE("master@10.0.0.1:5050"));
    t.timers.advance(60_000);
    await settle();
    const lines = t.logs.filter((l) => l.startsWith("error:") || l.includes("loaded again"));
    expect(lines.map((l) => /HTTP \d+|loaded again/.exec(l)?.[0])).toEqual([
      "HTTP 500",
      "HTTP 503",
      "HTTP 500",
      "loaded again",
    ]);
    await t.refresher.stop();
  });

  test("values from the detector and the state are quoted with control characters escaped", async () => {
    const m = manualDetector();
    const t = setup({ Zk: "zk://127.0.0.1:2181/mesos" }, m.detector);
    t.refresher.start();
    m.emit(["10.0.0.1:5050\nFAKE: line"]);
    await settle();
    expect(t.logs).toContain('info: Leading master is now "10.0.0.1:5050\\nFAKE: line"');
    expect(t.logs.every((l) => !l.includes("\n"))).toBe(true);
    await t.refresher.stop();
  });

  test("zkDetectionTimeout: no leader for that long calls onFatal; a leader event cancels it", async () => {
    const m = manualDetector();
    const t = setup({ ZkDetectionTimeout: 30 }, m.detector);
    t.refresher.start();
    t.timers.advance(29_000);
    m.emit(["10.0.0.1:5050"]);
    t.timers.advance(60_000);
    expect(t.fatal).toEqual([]);
    m.emit(["", "10.0.0.1:5050"]);
    t.timers.advance(29_999);
    expect(t.fatal).toEqual([]);
    t.timers.advance(1);
    expect(t.fatal).toEqual(["master detection timed out after 30s"]);
    await t.refresher.stop();
  });

  test("a zero zkDetectionTimeout never ends the process", async () => {
    const m = manualDetector();
    const t = setup({ ZkDetectionTimeout: 0 }, m.detector);
    t.refresher.start();
    t.timers.advance(3_600_000);
    expect(t.fatal).toEqual([]);
    await t.refresher.stop();
  });

  test("host names in the state are resolved; failures become warnings, not failed refreshes", async () => {
    const t = setup();
    t.platform.hosts.set("sched.example", ["10.1.1.1"]);
    t.serve(
      "10.0.0.1:5050",
      JSON.stringify({
        leader: "master@10.0.0.1:5050",
        frameworks: [
          { name: "marathon", hostname: "sched.example", tasks: [] },
          { name: "lost", hostname: "gone.example", tasks: [] },
        ],
        slaves: [],
      }),
    );
    expect(await t.refresher.refreshNow()).toBe(true);
    expect(t.store.current()?.records.a.get("marathon.mesos.")).toEqual(["10.1.1.1"]);
    expect(t.logs.some((l) => l.startsWith('warn: Cannot resolve host "gone.example"'))).toBe(true);
  });

  test("after stop() nothing more is published", async () => {
    const t = setup();
    t.serve("10.0.0.1:5050", STATE("master@10.0.0.1:5050"));
    const pending = t.refresher.refreshNow();
    await t.refresher.stop();
    expect(await pending).toBe(false);
    expect(t.store.current()).toBeUndefined();
    expect(await t.refresher.refreshNow()).toBe(false);
  });
});
