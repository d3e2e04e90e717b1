import { afterEach, describe, expect, test } from "bun:test";
import { type MemoryPlatform, memoryPlatform } from "../../src/adapters/memory.ts";
import { type App, startApp } from "../../src/core/app.ts";
import { type Config, defaultConfig } from "../../src/core/config/config.ts";
import { decodeMessage } from "../../src/core/dns/codec.ts";
import { staticDetector } from "../../src/core/mesos/master-detector.ts";
import type { HttpServer } from "../../src/core/platform.ts";
import { queryBytes } from "../_dns-client.ts";

const STATE = JSON.stringify({
  leader: "master@10.0.0.1:5050",
  frameworks: [
    {
      name: "marathon",
      tasks: [
        {
          id: "web.1",
          name: "web",
          slave_id: "S1",
          state: "TASK_RUNNING",
          resources: { ports: "[31000-31000]" },
          statuses: [],
        },
      ],
    },
  ],
  slaves: [{ id: "S1", pid: "slave(1)@10.0.0.9:5051", hostname: "10.0.0.9" }],
});

interface World {
  readonly platform: MemoryPlatform;
  readonly master: HttpServer;
  readonly config: Config;
  readonly logs: string[];
  readonly fetched: string[];
}

let app: App | undefined;
let world: World | undefined;

afterEach(async () => {
  await app?.stop();
  await world?.master.close();
  app = undefined;
  world = undefined;
});

/** A memory world with a fake master on 10.0.0.1:5050 serving {@link STATE}. */
async function makeWorld(): Promise<World> {
  const platform = memoryPlatform();
  const fetched: string[] = [];
  const master = await platform.serveHttp({
    address: "10.0.0.1",
    port: 5050,
    fetch(request) {
      const path = new URL(request.url).pathname;
      fetched.push(path);
      if (path !== "/master/state") return new Response("not found", { status: 404 });
      return new Response(STATE, { headers: { "content-type": "application/json" } });
    },
  });
  const config: Config = {
    ...defaultConfig(),
    Masters: ["10.0.0.1:5050"],
    Listener: "127.0.0.1",
    HTTPListener: "127.0.0.1",
    ExternalOn: false,
  };
  return { platform, master, config, logs: [], fetched };
}

async function start(w: World): Promise<App> {
  const log = {
    info: (m: string) => w.logs.push(`info: ${m}`),
    warn: (m: string) => w.logs.push(`warn: ${m}`),
    error: (m: string) => w.logs.push(`error: ${m}`),
    debug: () => {},
  };
  return startApp({
    platform: w.platform,
    config: w.config,
    version: "1.2.3-test",
    log,
    detector: staticDetector(w.config),
    onFatal: (message) => w.logs.push(`fatal: ${message}`),
  });
}

/** Sends `query` over the memory network's UDP to `port` on 127.0.0.1; the reply, or undefined. */
async function askUdp(platform: MemoryPlatform, query: Uint8Array, port = 53) {
  let received: ((reply: Uint8Array) => void) | undefined;
  const reply = new Promise<Uint8Array>((resolve) => {
    received = resolve;
  });
  const client = await platform.bindUdp({
    address: "127.0.0.1",
    port: 0,
    onMessage: (data) => received?.(data.slice()),
  });
  try {
    client.send(query, { address: "127.0.0.1", port });
    // The memory network delivers in microtasks: a reply owed arrives before a few timer turns.
    return await Promise.race([reply, timerTurns(5)]);
  } finally {
    client.close();
  }
}

async function timerTurns(n: number): Promise<undefined> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  return undefined;
}

async function getText(platform: MemoryPlatform, url: string) {
  const res = await platform.httpRequest(url, {
    method: "GET",
    headers: {},
    timeoutMs: 1000,
    maxBytes: 1 << 20,
    maxRedirects: 0,
  });
  return { status: res.status, text: new TextDecoder().decode(res.body) };
}

describe("startApp() on the memory platform", () => {
  test("startApp() loads the master's state and answers a task's A record over UDP", async () => {
    world = await makeWorld();
    app = await start(world);
    expect(await app.refresher.refreshNow()).toBe(true);
    expect(world.fetched).toContain("/master/state");
    const reply = decodeMessage(
      (await askUdp(world.platform, queryBytes("web.marathon.mesos", "A", { id: 7 })))!,
    );
    expect(reply?.id).toBe(7);
    expect(reply?.rcode).toBe("NOERROR");
    expect(reply?.answers.map((a) => `${a.name} ${a.type} ${a.data}`)).toEqual([
      "web.marathon.mesos A 10.0.0.9",
    ]);
    expect(world.logs).toContain("info: DNS listening on 127.0.0.1:53 (UDP and TCP)");
  });

  test("startApp() answers SERVFAIL inside the domain before the first state is loaded", async () => {
    world = await makeWorld();
    // The master is gone before the app starts: no state is ever loaded.
    await world.master.close();
    app = await start(world);
    expect(await app.refresher.refreshNow()).toBe(false);
    const reply = decodeMessage((await askUdp(world.platform, queryBytes("web.marathon.mesos", "A")))!);
    expect(reply?.rcode).toBe("SERVFAIL");
    expect(app.store.current()).toBeUndefined();
  });

  test("startApp() serves /v1/version with the version it was given", async () => {
    world = await makeWorld();
    app = await start(world);
    const { status, text } = await getText(world.platform, "http://127.0.0.1:8123/v1/version");
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual({
      Service: "Mesos-DNS",
      URL: "https://github.com/mesosphere/mesos-dns",
      Version: "1.2.3-test",
    });
  });

  test("stop() closes the DNS and HTTP listeners: their ports are free and nothing answers", async () => {
    world = await makeWorld();
    const started = await start(world);
    await started.refresher.refreshNow();
    await started.stop();
    const { platform } = world;
    expect(await askUdp(platform, queryBytes("web.marathon.mesos", "A"))).toBeUndefined();
    await expect(getText(platform, "http://127.0.0.1:8123/v1/version")).rejects.toMatchObject({
      code: "CONNECTION_REFUSED",
    });
    // Each port can be taken again: nothing of the app holds it.
    const udp = await platform.bindUdp({ address: "127.0.0.1", port: 53, onMessage() {} });
    const tcp = await platform.listenTcp({
      address: "127.0.0.1",
      port: 53,
      onConnection: () => ({ onData() {}, onClose() {} }),
    });
    const http = await platform.serveHttp({ address: "127.0.0.1", port: 8123, fetch: () => new Response() });
    udp.close();
    await tcp.close();
    await http.close();
    // A stopped refresher loads nothing more.
    expect(await started.refresher.refreshNow()).toBe(false);
  });
});
