/**
 * One fake Mesos master: serves a state document over the real Mesos HTTP API
 * (`/master/state`, `/master/state.json`, `/state`, `/state.json`, `/master/redirect`, `/redirect`,
 * `/version`), with switchable failure behaviours for tests, and the operator API v1 event
 * stream (`POST /api/v1`, `SUBSCRIBE`) driven by every change of the document; plus the
 * control endpoint `/fake/tasks` (scripts/_fake-master-control.ts).
 *
 * Runs under Bun (`Bun.serve`); scripts are not part of the portable core.
 *
 * @module
 */

import { CONTROL_PREFIX, control } from "./_fake-master-control.ts";
import { diffEvents } from "./_fake-master-diff.ts";
import {
  agentAdded,
  agentRemoved,
  frameworkAdded,
  frameworkRemoved,
  frameworkUpdated,
  launched,
  launchInPlace,
  removed,
  updated,
  updateInPlace,
} from "./_fake-master-doc.ts";
import { type OperatorApiMode, operatorApi, Subscribers } from "./_fake-master-stream.ts";
import type { FakeBehaviour, FakeMaster, FakeMasterOptions, SeenRequest } from "./_fake-master-types.ts";
import {
  frameworkKey,
  type StateStatus,
  type StateTask,
  subscribedEvent,
  TERMINAL_STATES,
  taskUpdatedEvent,
  v1Task,
} from "./_fake-master-v1.ts";

export type { FakeBehaviour, FakeMaster, FakeMasterOptions, SeenRequest } from "./_fake-master-types.ts";

const STATE_PATHS = new Set(["/master/state", "/master/state.json", "/state", "/state.json"]);
/** The operator API, at its route and under the master process id as libprocess serves it. */
const API_PATHS = new Set(["/api/v1", "/master/api/v1"]);

/** Starts a fake master; resolves once it listens. */
export async function startFakeMaster(options: FakeMasterOptions): Promise<FakeMaster> {
  const host = options.host ?? "127.0.0.1";
  let state = options.state;
  let leaderSetting = options.leader ?? "self";
  let behaviour: FakeBehaviour = options.behaviour ?? { kind: "ok" };
  const requests: SeenRequest[] = [];
  const hanging = new Set<() => void>();
  const version = options.version ?? "1.11.0";
  const heartbeatSeconds = options.heartbeatSeconds ?? 15;
  if (!(heartbeatSeconds > 0)) throw new Error(`heartbeatSeconds must be > 0, not ${heartbeatSeconds}`);
  let apiMode: OperatorApiMode = options.operatorApi ?? true;
  const subscribers = new Subscribers();
  // What the subscribers were last told: the base of the next diff.
  let announced = snapshot(state);

  const server = Bun.serve({
    hostname: host,
    port: options.port ?? 0,
    // A hanging request must stay open until the client gives up.
    idleTimeout: 0,
    ...(options.tls
      ? { tls: { cert: Bun.file(options.tls.certFile), key: Bun.file(options.tls.keyFile) } }
      : {}),
    fetch: (request) => handle(request),
  });
  const port = server.port ?? 0;
  const selfHostPort = `${bracket(host)}:${port}`;
  const leaderHostPort = () => (leaderSetting === "self" ? selfHostPort : leaderSetting);

  function authorized(request: Request): boolean {
    const given = request.headers.get("authorization") ?? "";
    if (options.basicAuth) {
      const { principal, secret } = options.basicAuth;
      return given === `Basic ${btoa(`${principal}:${secret}`)}`;
    }
    if (options.acceptToken) {
      return given.startsWith("token=") && options.acceptToken(given.slice("token=".length));
    }
    return true;
  }

  /** Makes `next` the document; unless `silent`, subscribers get the events of the change. */
  function commit(next: unknown, silent = false): void {
    const events = silent || subscribers.count() === 0 ? [] : diffEvents(announced, next, Date.now() / 1000);
    state = next;
    announced = snapshot(next);
    for (const event of events) subscribers.broadcast(event);
  }

  function launchTask(frameworkId: string, task: StateTask): void {
    if (!options.inPlace) {
      commit(launched(state, frameworkId, task));
      return;
    }
    // The same change to the announced copy keeps it the base of a later diff.
    launchInPlace(announced, frameworkId, task);
    const f = launchInPlace(state, frameworkId, task);
    subscribers.broadcast({ type: "TASK_ADDED", task_added: { task: v1Task(task, frameworkKey(f)) } });
  }

  function updateTask(taskId: string, taskState: string, status?: Partial<StateStatus>): void {
    const now = Date.now() / 1000;
    if (!options.inPlace) {
      commit(updated(state, taskId, taskState, status, now));
      return;
    }
    updateInPlace(announced, taskId, taskState, status, now);
    const changed = updateInPlace(state, taskId, taskState, status, now);
    subscribers.broadcast(taskUpdatedEvent(changed.task, frameworkKey(changed.framework), changed.status));
  }

  const api = {
    mode: () => apiMode,
    authorized,
    otherLeader: () => (leaderHostPort() === selfHostPort ? undefined : leaderHostPort()),
    subscribe: (signal: AbortSignal) =>
      subscribers.open(subscribedEvent(state, heartbeatSeconds), heartbeatSeconds, signal),
  };
  const controlHost = { document: () => state, launchTask, updateTask };

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    requests.push({
      method: request.method,
      path: url.pathname,
      headers: Object.fromEntries(request.headers.entries()),
    });
    if (API_PATHS.has(url.pathname)) return await operatorApi(request, api);
    if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
      return await control(request, url.pathname, controlHost);
    }
    if (url.pathname === "/version") {
      return Response.json({ version, build_user: "fake-master", git_sha: "0".repeat(40) });
    }
    if (url.pathname === "/master/redirect" || url.pathname === "/redirect") {
      // Mesos (master/http.cpp): the leader's base URL, protocol-relative; `/redirect/...` is 404.
      return new Response(null, { status: 307, headers: { location: `//${leaderHostPort()}` } });
    }
    if (!STATE_PATHS.has(url.pathname)) return new Response("Not Found", { status: 404 });
    if (request.method !== "GET") return new Response("Method Not Allowed", { status: 405 });
    if (!authorized(request)) return new Response("Unauthorized", { status: 401 });
    return await serveState(behaviour);
  }

  async function serveState(b: FakeBehaviour): Promise<Response> {
    switch (b.kind) {
      case "delay":
        await new Promise((resolve) => setTimeout(resolve, b.ms));
        return stateResponse();
      case "status":
        return new Response(`fake master: HTTP ${b.status}`, { status: b.status });
      case "truncated": {
        const text = stateText();
        return new Response(text.slice(0, Math.floor(text.length / 2)), {
          headers: { "content-type": "application/json" },
        });
      }
      case "invalid-json":
        return new Response("<html>this is not JSON</html>", {
          headers: { "content-type": "application/json" },
        });
      case "hang":
        return await new Promise<Response>((resolve) => {
          const release = () => resolve(new Response("released", { status: 503 }));
          hanging.add(release);
        });
      case "redirect":
        return new Response(null, { status: 307, headers: { location: b.location } });
      case "ok":
        return stateResponse();
    }
  }

  function stateText(): string {
    const leader = `master@${leaderHostPort()}`;
    const doc = typeof state === "object" && state !== null ? state : {};
    return JSON.stringify({ ...doc, leader, pid: `master@${selfHostPort}` });
  }

  function stateResponse(): Response {
    return new Response(stateText(), { headers: { "content-type": "application/json" } });
  }

  return {
    host,
    port,
    hostPort: selfHostPort,
    url: `${options.tls ? "https" : "http"}://${selfHostPort}`,
    requests,
    setLeader(leader: string) {
      leaderSetting = leader;
    },
    leader: leaderHostPort,
    setState(next: unknown) {
      commit(next);
    },
    document: () => state,
    setBehaviour(next: FakeBehaviour) {
      behaviour = next;
    },
    launchTask,
    updateTask,
    removeTask: (taskId) => commit(removed(state, taskId), true),
    addAgent: (agent) => commit(agentAdded(state, agent)),
    removeAgent: (agentId) => commit(agentRemoved(state, agentId)),
    addFramework: (framework) => commit(frameworkAdded(state, framework)),
    updateFramework: (frameworkId, patch) => commit(frameworkUpdated(state, frameworkId, patch)),
    removeFramework: (frameworkId) =>
      commit(frameworkRemoved(state, frameworkId, Date.now() / 1000, TERMINAL_STATES)),
    cutStreams: () => subscribers.cut(),
    stallStream: (on) => subscribers.stall(on),
    sendRaw: (bytes) => subscribers.sendRaw(bytes),
    subscriberCount: () => subscribers.count(),
    setOperatorApi(mode) {
      apiMode = mode;
    },
    async stop() {
      for (const release of hanging) release();
      hanging.clear();
      subscribers.endAll();
      await server.stop(true);
    },
  };
}

/** A private copy of a document, for diffing against later changes made in place. */
function snapshot(doc: unknown): unknown {
  try {
    return structuredClone(doc);
  } catch {
    return JSON.parse(JSON.stringify(doc ?? null));
  }
}

function bracket(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
