/**
 * The real server (a Bun process) following the fake master's operator API event stream. The
 * master heartbeats every 0.2 s and the server polls only every 60 s, so after the first poll
 * only the stream can make a change visible: launches answer over DNS, kills give NXDOMAIN,
 * and the stream comes back after cuts, stalls and bad frames. Deadlines are generous bounds
 * for conditions, never measurements.
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type FakeMaster, startFakeMaster } from "../../scripts/fake-master.ts";
import { ask, freePort } from "../_dns-client.ts";
import { parseProm, sampleValue } from "../_prom-parse.ts";
import { type ServerProcess, startServer } from "../_server-process.ts";

const HOST = "127.0.0.1";
const DEADLINE_MS = 5000;
// A test waits for several conditions in turn, each up to DEADLINE_MS: bun's 5 s default per
// test would end it before its own deadlines on a loaded CI machine.
setDefaultTimeout(30_000);
const STATE_PATHS = new Set(["/master/state", "/master/state.json", "/state", "/state.json"]);

/** Framework F1 (marathon) with task web.1 on agent S1 (127.0.0.2). */
function smallDoc(): unknown {
  return {
    frameworks: [
      {
        id: "F1",
        name: "marathon",
        pid: "scheduler(1)@127.0.0.1:40001",
        hostname: "127.0.0.1",
        active: true,
        tasks: [
          {
            id: "web.1",
            name: "web",
            framework_id: "F1",
            slave_id: "S1",
            state: "TASK_RUNNING",
            resources: { cpus: 0.5, mem: 64, ports: "[31000-31001]" },
            statuses: [{ state: "TASK_RUNNING", timestamp: 100.5 }],
          },
        ],
      },
    ],
    slaves: [
      { id: "S1", pid: "slave(1)@127.0.0.2:5051", hostname: "127.0.0.2" },
      { id: "S2", pid: "slave(1)@127.0.0.3:5051", hostname: "127.0.0.3" },
    ],
  };
}

interface Running {
  readonly master: FakeMaster;
  readonly server: ServerProcess;
  readonly dns: number;
  readonly http: number;
}

const running: Running[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.server.stop();
    await r.master.stop();
  }
});

/** A fake master and the server following it; resolves once /ready says `source`. */
async function launch(
  options: { refreshSeconds?: number; source?: "events" | "polling" } = {},
): Promise<Running> {
  const master = await startFakeMaster({ state: smallDoc(), heartbeatSeconds: 0.2 });
  const dns = await freePort();
  const http = await freePort();
  const server = startServer("bun", {
    masters: [master.hostPort],
    refreshSeconds: options.refreshSeconds ?? 60,
    stateTimeoutSeconds: 5,
    ttl: 60,
    domain: "mesos",
    port: dns,
    listener: HOST,
    httplistener: HOST,
    httpport: http,
    dnson: true,
    httpon: true,
    externalon: false,
    IPSources: ["netinfo", "mesos", "host"],
  });
  const r = { master, server, dns, http };
  running.push(r);
  const source = options.source ?? "events";
  await until(
    async () => (await ready(r)).includes(`"source":"${source}"`),
    `/ready to say source ${source}`,
    r,
  );
  return r;
}

/** Waits until `condition` holds, checking every 50 ms, up to `ms`. */
async function until(
  condition: () => Promise<boolean> | boolean,
  what: string,
  r: Running,
  ms = DEADLINE_MS,
): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await condition()) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) {
      throw new Error(`waited ${ms} ms for ${what}; server output:\n${r.server.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function ready(r: Running): Promise<string> {
  return await (await fetch(`http://${HOST}:${r.http}/ready`)).text();
}

async function metrics(r: Running) {
  return parseProm(await (await fetch(`http://${HOST}:${r.http}/metrics`)).text());
}

/** A counter sample, 0 when the series does not exist yet. */
async function counter(r: Running, name: string, labels: Record<string, string>): Promise<number> {
  try {
    return sampleValue(await metrics(r), name, labels);
  } catch {
    return 0;
  }
}

/** The A answers for `name`, sorted; `<RCODE>` when not NOERROR. */
async function aRecords(r: Running, name: string): Promise<string[]> {
  const reply = await ask(HOST, r.dns, name, "A");
  if (!reply) return ["<no reply>"];
  if (reply.rcode !== "NOERROR") return [`<${reply.rcode}>`];
  return reply.answers
    .filter((a) => a.type === "A")
    .map((a) => String(a.data))
    .sort();
}

async function answers(r: Running, name: string, expected: string[]): Promise<void> {
  let last: string[] = [];
  await until(
    async () => {
      last = await aRecords(r, name);
      return JSON.stringify(last) === JSON.stringify(expected);
    },
    `${name} to answer ${expected.join(", ")} (last: ${last.join(", ")})`,
    r,
  );
}

/** Launches a running task `name` on agent S1 at the fake master. */
function launchTask(r: Running, name: string): string {
  const id = `${name}.1`;
  r.master.launchTask("F1", {
    id,
    name,
    framework_id: "F1",
    slave_id: "S1",
    state: "TASK_RUNNING",
    resources: { cpus: 0.1, mem: 32, ports: "[31500-31500]" },
    statuses: [{ state: "TASK_RUNNING", timestamp: Date.now() / 1000 }],
  });
  return id;
}

const statePolls = (r: Running) => r.master.requests.filter((q) => STATE_PATHS.has(q.path)).length;

describe("the server follows the master's event stream", () => {
  test("a launch answers over DNS and a kill gives NXDOMAIN, with no poll in between", async () => {
    const r = await launch();
    await answers(r, "web.marathon.mesos.", ["127.0.0.2"]);
    const polls = statePolls(r);
    const id = launchTask(r, "hello");
    await answers(r, "hello.marathon.mesos.", ["127.0.0.2"]);
    r.master.updateTask(id, "TASK_KILLED");
    await answers(r, "hello.marathon.mesos.", ["<NXDOMAIN>"]);
    await answers(r, "web.marathon.mesos.", ["127.0.0.2"]);
    // Only the stream could have told the server.
    expect(statePolls(r)).toBe(polls);
  });

  test("/metrics and /ready show the live stream", async () => {
    const r = await launch();
    launchTask(r, "counted");
    await answers(r, "counted.marathon.mesos.", ["127.0.0.2"]);
    await until(
      async () => (await counter(r, "mesos_dns_event_stream_messages_total", { type: "HEARTBEAT" })) >= 2,
      "two heartbeats",
      r,
    );
    const families = await metrics(r);
    expect(sampleValue(families, "mesos_dns_event_stream_connected")).toBe(1);
    expect(
      sampleValue(families, "mesos_dns_event_stream_messages_total", { type: "SUBSCRIBED" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(families, "mesos_dns_event_stream_messages_total", { type: "TASK_ADDED" }),
    ).toBeGreaterThanOrEqual(1);
    expect(sampleValue(families, "mesos_dns_event_stream_last_message_age_seconds")).toBeLessThan(60);
    const body = JSON.parse(await ready(r)) as Record<string, unknown>;
    expect(body["ready"]).toBe(true);
    expect(body["source"]).toBe("events");
  });

  test("a cut stream: the server subscribes again and later launches answer", async () => {
    const r = await launch();
    expect(r.master.subscriberCount()).toBe(1);
    r.master.cutStreams();
    await until(
      async () => (await counter(r, "mesos_dns_event_stream_reconnects_total", { reason: "closed" })) >= 1,
      "a reconnect for a closed stream",
      r,
    );
    await until(() => r.master.subscriberCount() === 1, "one subscriber again", r);
    await until(
      async () => (await counter(r, "mesos_dns_event_stream_messages_total", { type: "SUBSCRIBED" })) >= 2,
      "a second SUBSCRIBED",
      r,
    );
    launchTask(r, "after-cut");
    await answers(r, "after-cut.marathon.mesos.", ["127.0.0.2"]);
    await answers(r, "web.marathon.mesos.", ["127.0.0.2"]);
    const families = await metrics(r);
    expect(sampleValue(families, "mesos_dns_event_stream_connected")).toBe(1);
    expect(await ready(r)).toContain('"source":"events"');
  });

  test("a stalled stream: the heartbeat watchdog ends it, the server subscribes again", async () => {
    const r = await launch();
    r.master.stallStream(true);
    // Launched during the stall: the stalled stream holds it back, the next snapshot has it.
    launchTask(r, "during-stall");
    await until(
      async () => (await counter(r, "mesos_dns_event_stream_reconnects_total", { reason: "heartbeat" })) >= 1,
      "a reconnect for a silent stream",
      r,
    );
    await until(() => r.master.subscriberCount() === 1, "one subscriber again", r);
    await answers(r, "during-stall.marathon.mesos.", ["127.0.0.2"]);
    r.master.stallStream(false);
    launchTask(r, "after-stall");
    await answers(r, "after-stall.marathon.mesos.", ["127.0.0.2"]);
    expect(await ready(r)).toContain('"source":"events"');
  });

  test("a bad frame: the server reconnects and its records stay right", async () => {
    const r = await launch();
    const polls = statePolls(r);
    r.master.sendRaw("garbage\n");
    await until(
      async () => (await counter(r, "mesos_dns_event_stream_bad_input_total", { kind: "bad-frame" })) >= 1,
      "a bad frame counted",
      r,
    );
    expect(await aRecords(r, "web.marathon.mesos.")).toEqual(["127.0.0.2"]);
    await until(
      async () => (await counter(r, "mesos_dns_event_stream_messages_total", { type: "SUBSCRIBED" })) >= 2,
      "a second SUBSCRIBED",
      r,
    );
    expect(r.master.subscriberCount()).toBe(1);
    const id = launchTask(r, "after-garbage");
    await answers(r, "after-garbage.marathon.mesos.", ["127.0.0.2"]);
    r.master.updateTask(id, "TASK_FINISHED");
    await answers(r, "after-garbage.marathon.mesos.", ["<NXDOMAIN>"]);
    expect(
      await counter(r, "mesos_dns_event_stream_reconnects_total", { reason: "bad-frame" }),
    ).toBeGreaterThanOrEqual(1);
    expect(statePolls(r)).toBe(polls);
    expect(r.server.output()).toContain("Bad frame from");
  });

  test("a master that loses its operator API: the server falls back to polling", async () => {
    const r = await launch({ refreshSeconds: 1 });
    r.master.setOperatorApi(404);
    r.master.cutStreams();
    await until(async () => (await ready(r)).includes('"source":"polling"'), "/ready to say polling", r);
    await until(
      async () => sampleValue(await metrics(r), "mesos_dns_event_stream_connected") === 0,
      "connected 0",
      r,
    );
    expect(r.master.subscriberCount()).toBe(0);
    // Polls publish now.
    launchTask(r, "polled");
    await answers(r, "polled.marathon.mesos.", ["127.0.0.2"]);
    expect(r.server.output()).toContain("has no operator API (HTTP 404)");
    expect(r.server.output().split("has no operator API").length - 1).toBe(1);
  });
});
