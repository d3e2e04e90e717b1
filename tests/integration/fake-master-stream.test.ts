/**
 * The fake Mesos master speaks the operator API v1 event stream (`POST /api/v1`, `SUBSCRIBE`)
 * as a Mesos 1.x master does: RecordIO framing, a `SUBSCRIBED` snapshot of its state document,
 * heartbeats, events for every change of the document, and fault controls for client tests.
 *
 * The stream is read with `fetch` and decoded here, independently of the fake's own encoder.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeMaster, type FakeMasterOptions, startFakeMaster } from "../../scripts/fake-master.ts";

/** Decoded JSON, read by path in assertions (a wrong path fails the assertion). */
// biome-ignore lint/suspicious/noExplicitAny: the tests walk arbitrary decoded JSON.
type Json = Record<string, any>;

/** Reads RecordIO records (`<byte length>\n<bytes>`) from a response body, with deadlines. */
class RecordIoReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #buffer = new Uint8Array(0);
  #pending: ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]> | undefined;

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  /** Waits up to `ms` for more bytes: "data", "timeout" or "end" (a reset rejects). */
  async #more(ms: number): Promise<"data" | "timeout" | "end"> {
    this.#pending ??= this.#reader.read();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), ms);
    });
    try {
      const got = await Promise.race([this.#pending, timeout]);
      if (got === "timeout") return "timeout";
      this.#pending = undefined;
      if (got === undefined || got.done || got.value === undefined) return "end";
      const joined = new Uint8Array(this.#buffer.length + got.value.length);
      joined.set(this.#buffer);
      joined.set(got.value, this.#buffer.length);
      this.#buffer = joined;
      return "data";
    } finally {
      clearTimeout(timer);
    }
  }

  /** Exactly `n` bytes, as they came. */
  async bytes(n: number, ms = 5000): Promise<Uint8Array> {
    const deadline = Date.now() + ms;
    while (this.#buffer.length < n) {
      const got = await this.#more(Math.max(1, deadline - Date.now()));
      if (got !== "data") throw new Error(`${got} after ${this.#buffer.length} of ${n} bytes`);
    }
    const out = this.#buffer.slice(0, n);
    this.#buffer = this.#buffer.slice(n);
    return out;
  }

  /** The next record's JSON text; its length prefix counts UTF-8 bytes. */
  async record(ms = 5000): Promise<string> {
    const deadline = Date.now() + ms;
    let newline = this.#buffer.indexOf(10);
    while (newline < 0) {
      const got = await this.#more(Math.max(1, deadline - Date.now()));
      if (got !== "data") throw new Error(`${got} before a record header`);
      newline = this.#buffer.indexOf(10);
    }
    const header = new TextDecoder().decode(this.#buffer.slice(0, newline));
    expect(header).toMatch(/^\d+$/);
    await this.bytes(newline + 1, Math.max(1, deadline - Date.now()));
    return new TextDecoder("utf-8", { fatal: true }).decode(
      await this.bytes(Number(header), Math.max(1, deadline - Date.now())),
    );
  }

  async event(ms = 5000): Promise<Json> {
    return JSON.parse(await this.record(ms)) as Json;
  }

  /** The next event that is not a heartbeat. */
  async next(ms = 5000): Promise<Json> {
    const deadline = Date.now() + ms;
    for (;;) {
      const e = await this.event(Math.max(1, deadline - Date.now()));
      if (e.type !== "HEARTBEAT") return e;
    }
  }

  /** True when nothing at all arrives for `ms`. */
  async quiet(ms: number): Promise<boolean> {
    return this.#buffer.length === 0 && (await this.#more(ms)) === "timeout";
  }

  /** How the body finished: "end" (clean) or "reset" (read failed); throws if it goes on. */
  async finish(ms = 5000): Promise<"end" | "reset"> {
    const deadline = Date.now() + ms;
    try {
      for (;;) {
        const got = await this.#more(Math.max(1, deadline - Date.now()));
        if (got === "end") return "end";
        if (got === "timeout") throw new Error(`the body did not end within ${ms} ms`);
      }
    } catch (error) {
      if ((error as Error).message.startsWith("the body did not end")) throw error;
      return "reset";
    }
  }
}

const running: FakeMaster[] = [];
const aborts: AbortController[] = [];
afterEach(async () => {
  for (const a of aborts.splice(0)) a.abort();
  await Promise.all(running.splice(0).map((m) => m.stop()));
});

/** A small document: framework F1 (marathon) with task web.1 on agent S1. */
function smallDoc(): Json {
  return {
    frameworks: [
      {
        id: "F1",
        name: "marathon",
        pid: "scheduler(1)@127.0.0.1:40001",
        hostname: "127.0.0.1",
        user: "root",
        active: true,
        tasks: [
          {
            id: "web.1",
            name: "web",
            framework_id: "F1",
            slave_id: "S1",
            state: "TASK_RUNNING",
            resources: { cpus: 0.5, mem: 64, ports: "[31000-31001, 31005-31005]" },
            statuses: [{ state: "TASK_RUNNING", timestamp: 100.5, labels: [{ key: "foo", value: "bar" }] }],
          },
        ],
      },
    ],
    slaves: [{ id: "S1", pid: "slave(1)@127.0.0.2:5051", hostname: "127.0.0.2" }],
  };
}

async function master(options: Partial<FakeMasterOptions> = {}): Promise<FakeMaster> {
  const m = await startFakeMaster({ state: smallDoc(), heartbeatSeconds: 0.2, ...options });
  running.push(m);
  return m;
}

function post(m: FakeMaster, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(`${m.url}/api/v1`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    redirect: "manual",
    ...(signal ? { signal } : {}),
  });
}

/** Subscribes; resolves after the `SUBSCRIBED` event. */
async function subscribe(m: FakeMaster, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  aborts.push(abort);
  const response = await post(m, { type: "SUBSCRIBE" }, headers, abort.signal);
  expect(response.status).toBe(200);
  const stream = new RecordIoReader(response.body!);
  const subscribed = await stream.event();
  expect(subscribed.type).toBe("SUBSCRIBED");
  return { response, stream, subscribed: subscribed.subscribed as Json, abort };
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await Bun.sleep(10);
  }
}

const ROOT = join(import.meta.dir, "..", "..");
const CAPTURE = join(ROOT, "..", "shared", "fixtures", "operator-api-subscribe.ndjson");

describe("POST /api/v1 SUBSCRIBE", () => {
  test("answers 200 application/json with RecordIO records whose lengths count UTF-8 bytes", async () => {
    const doc = smallDoc();
    doc.frameworks[0].tasks[0].name = "café-ünïcödé";
    const m = await master({ state: doc });
    const { response, subscribed } = await subscribe(m);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(subscribed.get_state.get_tasks.tasks[0].name).toBe("café-ünïcödé");
    expect(subscribed.heartbeat_interval_seconds).toBe(0.2);
  });

  test("SUBSCRIBED is the state document in v1 shapes: tasks with port ranges, agents with pid, frameworks without", async () => {
    const doc = JSON.parse(readFileSync(join(ROOT, "tests", "fixtures", "fake-state.json"), "utf8"));
    const m = await master({ state: doc });
    const { get_state: state } = (await subscribe(m)).subscribed;
    const tasks = state.get_tasks.tasks as Json[];
    expect(tasks.length).toBe(10);
    const toy = tasks.find((t) => t.name === "toy-store")!;
    expect(toy.task_id).toEqual({ value: "toy-store.b8db9f73-562f-11e4-a088-c20493233aa5" });
    expect(toy.framework_id).toEqual({ value: "20140703-014514-3041283216-5050-5349-0001" });
    expect(toy.agent_id).toEqual({ value: "20140803-194712-3041283216-5050-2116-3" });
    expect(toy.state).toBe("TASK_RUNNING");
    expect(toy.resources).toContainEqual({
      name: "ports",
      type: "RANGES",
      ranges: {
        range: [
          { begin: 31354, end: 31354 },
          { begin: 31355, end: 31355 },
        ],
      },
    });
    expect(toy.resources).toContainEqual({ name: "mem", type: "SCALAR", scalar: { value: 1024 } });
    expect(toy.statuses[0].container_status.network_infos[1].ip_addresses[1].ip_address).toBe(
      "fd01:b::1:8000:2",
    );
    const liquor = tasks.find((t) => t.name === "liquor.store")!;
    expect(liquor.discovery.name).toBe("liquor.store");
    expect(liquor.statuses[1]).toMatchObject({
      state: "TASK_RUNNING",
      timestamp: 1413572390.09275,
      labels: {
        labels: [
          { key: "foo", value: "bar" },
          { key: "Docker.NetworkSettings.IPAddress", value: "10.3.0.1" },
        ],
      },
    });
    expect(tasks.find((t) => t.name === "nginx")!.resources.some((r: Json) => r.name === "ports")).toBe(
      false,
    );
    // The task listed under "chronos ..." carries a mistyped framework_id; the owner wins.
    expect(tasks.find((t) => t.name === "some-box")!.framework_id.value).toBe(
      "20140703-014514-3041283216-5050-5348-0001",
    );
    expect(state.get_tasks.completed_tasks.length).toBe(3);

    const agents = state.get_agents.agents as Json[];
    expect(agents.map((a) => a.pid)).toEqual(doc.slaves.map((s: Json) => s.pid));
    expect(agents[3]).toMatchObject({
      agent_info: {
        id: { value: "20140803-194712-3041283216-5050-2116-3" },
        hostname: "2001:db8::1",
        port: 5051,
      },
      active: true,
      pid: "slave(1)@[2001:db8::1]:5051",
    });

    const frameworks = state.get_frameworks.frameworks as Json[];
    expect(frameworks.map((f) => f.framework_info.name)).toEqual(doc.frameworks.map((f: Json) => f.name));
    for (const f of frameworks) {
      expect(f.pid).toBeUndefined();
      expect(f.framework_info.pid).toBeUndefined();
    }
    expect(frameworks[3]).toMatchObject({
      framework_info: {
        id: { value: "20140703-014514-3041283216-5050-5348-0000" },
        hostname: "google.com",
        user: "root",
      },
      active: true,
    });
  });

  test.skipIf(!existsSync(CAPTURE))("SUBSCRIBED uses only fields a real Mesos 1.5 master sends", async () => {
    const capture = readFileSync(CAPTURE, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Json);
    const real = capture[0]!.subscribed.get_state;
    const m = await master({ state: smallDoc() });
    const { get_state: ours } = (await subscribe(m)).subscribed;
    const keys = (o: Json) => Object.keys(o).sort();
    const within = (mine: Json, theirs: Json[]) => {
      const allowed = new Set(theirs.flatMap(Object.keys));
      expect(Object.keys(mine).filter((k) => !allowed.has(k))).toEqual([]);
    };
    expect(keys(ours)).toEqual(keys(real));
    within(ours.get_agents.agents[0], real.get_agents.agents);
    within(
      ours.get_agents.agents[0].agent_info,
      real.get_agents.agents.map((a: Json) => a.agent_info),
    );
    within(ours.get_frameworks.frameworks[0], real.get_frameworks.frameworks);
    const added = capture.filter((e) => e.type === "TASK_ADDED").map((e) => e.task_added.task);
    // Statuses (a real Task has them once it has any) are the fields of TASK_UPDATED statuses.
    const { statuses, ...task } = ours.get_tasks.tasks[0];
    within(task, added);
    const realStatuses = capture.filter((e) => e.type === "TASK_UPDATED").map((e) => e.task_updated.status);
    within({ ...statuses[0], labels: [] }, [...realStatuses, { labels: [] }]);
  });

  test("heartbeats follow at the interval", async () => {
    const m = await master({ heartbeatSeconds: 0.1 });
    const { stream } = await subscribe(m);
    const started = Date.now();
    for (let i = 0; i < 3; i++) expect((await stream.event()).type).toBe("HEARTBEAT");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test("refuses what a Mesos master refuses: 405 for GET, 400/415 for content types, 406, 400 for other calls", async () => {
    const m = await master();
    const get = await fetch(`${m.url}/api/v1`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect((await post(m, { type: "GET_STATE" })).status).toBe(400);
    expect((await post(m, "{not json")).status).toBe(400);
    expect((await post(m, { type: "SUBSCRIBE" }, { "content-type": "application/x-protobuf" })).status).toBe(
      415,
    );
    expect((await post(m, { type: "SUBSCRIBE" }, { accept: "application/x-protobuf" })).status).toBe(406);
    expect(m.subscriberCount()).toBe(0);
  });

  test("a master that does not lead redirects to the leader's /api/v1 with 307", async () => {
    const m = await master({ leader: "10.9.9.9:5050" });
    const r = await post(m, { type: "SUBSCRIBE" });
    expect(r.status).toBe(307);
    expect(r.headers.get("location")).toBe("//10.9.9.9:5050/api/v1");
    const prefixed = await fetch(`${m.url}/master/api/v1`, { method: "POST", redirect: "manual" });
    expect(prefixed.headers.get("location")).toBe("//10.9.9.9:5050/master/api/v1");
    m.setLeader("self");
    await subscribe(m);
  });

  test("a master without the operator API answers 404 (operatorApi false), 405 or 501", async () => {
    for (const [mode, status] of [
      [false, 404],
      [404, 404],
      [405, 405],
      [501, 501],
    ] as const) {
      const m = await master({ operatorApi: mode });
      expect((await post(m, { type: "SUBSCRIBE" })).status).toBe(status);
      expect((await fetch(`${m.url}/master/state`)).status).toBe(200);
    }
    const m = await master({ operatorApi: false });
    m.setOperatorApi(true);
    await subscribe(m);
  });

  test("requires the same Basic credentials as the state endpoints (401 otherwise)", async () => {
    const m = await master({ basicAuth: { principal: "dns", secret: "s3cret" } });
    expect((await post(m, { type: "SUBSCRIBE" })).status).toBe(401);
    const wrong = { authorization: `Basic ${btoa("dns:wrong")}` };
    expect((await post(m, { type: "SUBSCRIBE" }, wrong)).status).toBe(401);
    await subscribe(m, { authorization: `Basic ${btoa("dns:s3cret")}` });
  });
});

describe("events as the document changes", () => {
  test("launch, update, kill, agents and frameworks arrive in order, and the state endpoint agrees", async () => {
    const m = await master();
    const { stream } = await subscribe(m);
    m.addAgent({ id: "S2", pid: "slave(1)@127.0.0.3:5051", hostname: "127.0.0.3" });
    m.launchTask("F1", {
      id: "api.1",
      name: "api",
      slave_id: "S2",
      state: "TASK_STAGING",
      resources: { ports: "[31010-31010]" },
    });
    const networks = [{ ip_addresses: [{ protocol: "IPv4", ip_address: "10.0.0.9" }] }];
    m.updateTask("api.1", "TASK_RUNNING", { container_status: { network_infos: networks } });
    m.updateTask("api.1", "TASK_KILLED");
    m.addFramework({ id: "F2", name: "chronos", pid: "scheduler(2)@127.0.0.1:40002", user: "nobody" });
    m.updateFramework("F2", { hostname: "chronos.example" });
    m.removeAgent("S2");
    m.removeFramework("chronos");

    const agentAdded = await stream.next();
    expect(agentAdded).toMatchObject({
      type: "AGENT_ADDED",
      agent_added: { agent: { agent_info: { id: { value: "S2" }, hostname: "127.0.0.3", port: 5051 } } },
    });
    expect(agentAdded.agent_added.agent.pid).toBe("slave(1)@127.0.0.3:5051");
    const added = await stream.next();
    expect(added).toMatchObject({
      type: "TASK_ADDED",
      task_added: {
        task: {
          task_id: { value: "api.1" },
          framework_id: { value: "F1" },
          agent_id: { value: "S2" },
          state: "TASK_STAGING",
          resources: [{ name: "ports", type: "RANGES", ranges: { range: [{ begin: 31010, end: 31010 }] } }],
        },
      },
    });
    const running = await stream.next();
    expect(running).toMatchObject({
      type: "TASK_UPDATED",
      task_updated: {
        framework_id: { value: "F1" },
        state: "TASK_RUNNING",
        status: {
          task_id: { value: "api.1" },
          agent_id: { value: "S2" },
          state: "TASK_RUNNING",
          container_status: { network_infos: networks },
        },
      },
    });
    expect(Math.abs(running.task_updated.status.timestamp - Date.now() / 1000)).toBeLessThan(60);
    const killed = await stream.next();
    expect(killed.task_updated).toMatchObject({ state: "TASK_KILLED", status: { state: "TASK_KILLED" } });
    const fwAdded = await stream.next();
    expect(fwAdded.type).toBe("FRAMEWORK_ADDED");
    expect(fwAdded.framework_added.framework.framework_info).toEqual({
      user: "nobody",
      name: "chronos",
      id: { value: "F2" },
    });
    expect((await stream.next()).framework_updated.framework.framework_info.hostname).toBe("chronos.example");
    expect(await stream.next()).toEqual({
      type: "AGENT_REMOVED",
      agent_removed: { agent_id: { value: "S2" } },
    });
    expect((await stream.next()).framework_removed.framework_info.id).toEqual({ value: "F2" });

    const served = (await (await fetch(`${m.url}/master/state`)).json()) as Json;
    const api = served.frameworks[0].tasks.find((t: Json) => t.id === "api.1");
    expect(api.state).toBe("TASK_KILLED");
    expect(api.statuses.map((s: Json) => s.state)).toEqual(["TASK_RUNNING", "TASK_KILLED"]);
    expect(served.slaves.map((s: Json) => s.id)).toEqual(["S1"]);
    expect(served.frameworks.map((f: Json) => f.id)).toEqual(["F1"]);
    expect(served.completed_frameworks.map((f: Json) => f.id)).toEqual(["F2"]);
  });

  test("removeTask moves a task to completed_tasks without an event", async () => {
    const m = await master();
    const { stream } = await subscribe(m);
    m.updateTask("web.1", "TASK_FINISHED");
    expect((await stream.next()).task_updated.state).toBe("TASK_FINISHED");
    m.removeTask("web.1");
    m.addAgent({ id: "S9", pid: "slave(1)@127.0.0.9:5051" });
    expect((await stream.next()).type).toBe("AGENT_ADDED");
    const doc = m.document() as Json;
    expect(doc.frameworks[0].tasks).toEqual([]);
    expect(doc.frameworks[0].completed_tasks[0].id).toBe("web.1");
  });

  test("removing a framework kills its running tasks before FRAMEWORK_REMOVED", async () => {
    const m = await master();
    const { stream } = await subscribe(m);
    m.removeFramework("F1");
    expect((await stream.next()).task_updated).toMatchObject({
      framework_id: { value: "F1" },
      state: "TASK_KILLED",
      status: { task_id: { value: "web.1" }, state: "TASK_KILLED" },
    });
    expect((await stream.next()).type).toBe("FRAMEWORK_REMOVED");
  });

  test("setState emits the events that turn the old document into the new one", async () => {
    const m = await master();
    const { stream } = await subscribe(m);
    const next = smallDoc();
    const fw = next.frameworks[0];
    fw.name = "marathon-renamed";
    fw.tasks[0].statuses.push({ state: "TASK_RUNNING", timestamp: 200, labels: [] });
    fw.tasks.push({ id: "new.1", name: "new", slave_id: "S2", state: "TASK_RUNNING", resources: {} });
    next.frameworks.push({ id: "F3", name: "spark", tasks: [] });
    next.slaves.push({ id: "S2", pid: "slave(1)@127.0.0.4:5052" });
    m.setState(next);
    expect((await stream.next()).type).toBe("FRAMEWORK_UPDATED");
    expect((await stream.next()).framework_added.framework.framework_info.name).toBe("spark");
    expect((await stream.next()).agent_added.agent.agent_info).toMatchObject({
      hostname: "127.0.0.4",
      port: 5052,
    });
    expect((await stream.next()).task_added.task.task_id.value).toBe("new.1");
    expect((await stream.next()).task_updated.status).toMatchObject({
      task_id: { value: "web.1" },
      timestamp: 200,
      labels: {},
    });

    // Tasks that vanish while running are killed; agents and frameworks that vanish are removed.
    m.setState({ frameworks: [{ id: "F3", name: "spark", tasks: [] }], slaves: [] });
    const updates = [await stream.next(), await stream.next()];
    expect(updates.map((e) => [e.task_updated.status.task_id.value, e.task_updated.state])).toEqual([
      ["web.1", "TASK_KILLED"],
      ["new.1", "TASK_KILLED"],
    ]);
    expect([await stream.next(), await stream.next()].map((e) => e.agent_removed.agent_id.value)).toEqual([
      "S1",
      "S2",
    ]);
    expect((await stream.next()).framework_removed.framework_info.id.value).toBe("F1");
    // The same document again changes nothing: the next event is the one after it.
    m.setState(structuredClone(m.document()));
    m.addAgent({ id: "S3", pid: "slave(1)@127.0.0.5:5051" });
    expect((await stream.next()).agent_added.agent.agent_info.id.value).toBe("S3");
  });

  test("setState reports a task moved to completed_tasks with its final status, a bare state change with a made-up one", async () => {
    const m = await master();
    m.launchTask("F1", { id: "job.1", name: "job", slave_id: "S1", state: "TASK_RUNNING" });
    const { stream } = await subscribe(m);
    const next = smallDoc();
    const [web] = next.frameworks[0].tasks;
    next.frameworks[0].tasks = [{ ...web, state: "TASK_KILLING" }];
    next.frameworks[0].completed_tasks = [
      {
        id: "job.1",
        name: "job",
        slave_id: "S1",
        state: "TASK_FINISHED",
        statuses: [{ state: "TASK_FINISHED", timestamp: 300, message: "done" }],
      },
    ];
    m.setState(next);
    const killing = (await stream.next()).task_updated;
    expect(killing.state).toBe("TASK_KILLING");
    expect(killing.status.state).toBe("TASK_KILLING");
    expect(Math.abs(killing.status.timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect((await stream.next()).task_updated).toMatchObject({
      state: "TASK_FINISHED",
      status: { task_id: { value: "job.1" }, state: "TASK_FINISHED", timestamp: 300, message: "done" },
    });
  });

  test("a document without framework ids (test shorthand) uses framework names as ids", async () => {
    const doc = smallDoc();
    delete doc.frameworks[0].id;
    const m = await master({ state: doc });
    const { subscribed, stream } = await subscribe(m);
    expect(subscribed.get_state.get_frameworks.frameworks[0].framework_info.id).toEqual({
      value: "marathon",
    });
    expect(subscribed.get_state.get_tasks.tasks[0].framework_id).toEqual({ value: "marathon" });
    m.launchTask("marathon", { id: "x.1", name: "x", slave_id: "S1", state: "TASK_RUNNING" });
    expect((await stream.next()).task_added.task.framework_id).toEqual({ value: "marathon" });
  });
});

describe("stream controls for fault tests", () => {
  test("cutStreams breaks every body off and forgets the subscribers", async () => {
    const m = await master();
    const a = await subscribe(m);
    const b = await subscribe(m);
    expect(m.subscriberCount()).toBe(2);
    m.cutStreams();
    expect(m.subscriberCount()).toBe(0);
    expect(await a.stream.finish()).toBe("reset");
    expect(await b.stream.finish()).toBe("reset");
    await subscribe(m);
  });

  test("sendRaw bytes arrive verbatim", async () => {
    const m = await master({ heartbeatSeconds: 60 });
    const { stream } = await subscribe(m);
    m.sendRaw("12\n{not a rec");
    m.sendRaw(new Uint8Array([0xff, 0x00, 0x0a]));
    expect(new TextDecoder().decode(await stream.bytes(13))).toBe("12\n{not a rec");
    expect([...(await stream.bytes(3))]).toEqual([0xff, 0x00, 0x0a]);
  });

  test("stallStream holds heartbeats and events back while the connection stays open", async () => {
    const m = await master({ heartbeatSeconds: 0.05 });
    const { stream } = await subscribe(m);
    expect((await stream.event()).type).toBe("HEARTBEAT");
    m.stallStream(true);
    // A heartbeat written just before the stall may still be on its way.
    for (let i = 0; i < 5 && !(await stream.quiet(60)); i++)
      expect((await stream.event()).type).toBe("HEARTBEAT");
    m.launchTask("F1", { id: "held.1", name: "held", slave_id: "S1", state: "TASK_STAGING" });
    expect(await stream.quiet(250)).toBe(true);
    expect(m.subscriberCount()).toBe(1);
    const late = await subscribe(m);
    expect(late.subscribed.get_state.get_tasks.tasks.map((t: Json) => t.task_id.value)).toContain("held.1");
    m.stallStream(false);
    expect((await stream.next()).task_added.task.task_id.value).toBe("held.1");
    expect((await stream.event()).type).toBe("HEARTBEAT");
  });

  test("a subscriber that goes away is forgotten", async () => {
    const m = await master();
    const { abort } = await subscribe(m);
    await subscribe(m);
    expect(m.subscriberCount()).toBe(2);
    abort.abort();
    await until(() => m.subscriberCount() === 1, "the aborted subscriber forgotten");
    m.launchTask("F1", { id: "after.1", name: "after", slave_id: "S1", state: "TASK_STAGING" });
    expect(m.subscriberCount()).toBe(1);
  });

  test("stopping the master ends every stream", async () => {
    const m = await startFakeMaster({ state: smallDoc(), heartbeatSeconds: 0.2 });
    const { stream } = await subscribe(m);
    await m.stop();
    expect(["end", "reset"]).toContain(await stream.finish());
    expect(m.subscriberCount()).toBe(0);
  });
});

describe("control endpoint /fake/tasks", () => {
  test("POST launches a running task by framework name; DELETE kills it", async () => {
    const m = await master();
    const { stream } = await subscribe(m);
    const launched = await fetch(`${m.url}/fake/tasks`, {
      method: "POST",
      body: JSON.stringify({ framework: "marathon", name: "hello", ports: "[31000-31000]" }),
    });
    expect(launched.status).toBe(200);
    const { id } = (await launched.json()) as { id: string };
    expect(id).toMatch(/^hello\.[0-9a-f-]{36}$/);
    const added = (await stream.next()).task_added.task;
    expect(added).toMatchObject({
      task_id: { value: id },
      framework_id: { value: "F1" },
      agent_id: { value: "S1" },
      state: "TASK_RUNNING",
      statuses: [{ state: "TASK_RUNNING" }],
    });
    expect(added.resources).toContainEqual({
      name: "ports",
      type: "RANGES",
      ranges: { range: [{ begin: 31000, end: 31000 }] },
    });
    const served = (await (await fetch(`${m.url}/master/state`)).json()) as Json;
    expect(served.frameworks[0].tasks.find((t: Json) => t.id === id).state).toBe("TASK_RUNNING");

    const killed = await fetch(`${m.url}/fake/tasks/${encodeURIComponent(id)}`, { method: "DELETE" });
    expect(await killed.json()).toEqual({ id, state: "TASK_KILLED" });
    expect((await stream.next()).task_updated).toMatchObject({
      state: "TASK_KILLED",
      status: { task_id: { value: id } },
    });
    expect((await fetch(`${m.url}/fake/tasks/nope.1`, { method: "DELETE" })).status).toBe(404);
  });

  test("POST names the agent by id or hostname, and rejects unknown frameworks and bad bodies", async () => {
    const m = await master();
    m.addAgent({ id: "S2", pid: "slave(1)@127.0.0.3:5051", hostname: "127.0.0.3" });
    const launch = (body: unknown) =>
      fetch(`${m.url}/fake/tasks`, {
        method: "POST",
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    const { id } = (await (await launch({ framework: "F1", name: "x", agent: "127.0.0.3" })).json()) as Json;
    const doc = m.document() as Json;
    expect(doc.frameworks[0].tasks.find((t: Json) => t.id === id).slave_id).toBe("S2");
    expect((await launch({ framework: "nope", name: "x" })).status).toBe(404);
    expect((await launch({ framework: "marathon", name: "x", agent: "S404" })).status).toBe(404);
    expect((await launch({ framework: "marathon" })).status).toBe(400);
    expect((await launch("not json")).status).toBe(400);
    expect((await fetch(`${m.url}/fake/tasks`)).status).toBe(405);
  });
});
