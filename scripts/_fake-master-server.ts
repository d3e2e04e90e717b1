/**
 * One fake Mesos master: serves a state document over the real Mesos HTTP API
 * (`/master/state`, `/master/state.json`, `/state`, `/state.json`, `/master/redirect`, `/redirect`,
 * `/version`), with switchable failure behaviours for tests.
 *
 * Runs under Bun (`Bun.serve`); scripts are not part of the portable core.
 *
 * @module
 */

/** What the state endpoints do on the next requests. */
export type FakeBehaviour =
  | { readonly kind: "ok" }
  /** Answer normally after `ms` milliseconds. */
  | { readonly kind: "delay"; readonly ms: number }
  /** Answer with this HTTP status and a short text body. */
  | { readonly kind: "status"; readonly status: number }
  /** A 200 whose body is the first half of the document (Content-Length matches the cut). */
  | { readonly kind: "truncated" }
  /** A 200 whose body is not JSON at all. */
  | { readonly kind: "invalid-json" }
  /** Never answer (until the master stops). */
  | { readonly kind: "hang" }
  /** 307 to this URL (absolute, or `//host:port/...`). */
  | { readonly kind: "redirect"; readonly location: string };

export interface FakeMasterOptions {
  /** The state document (already parsed). `leader` and `pid` are rewritten when served. */
  readonly state: unknown;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** `"self"` (default) or `host:port` of the leader to announce. */
  readonly leader?: string;
  /** Serve HTTPS with these PEM files. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** Require `Authorization: Basic ...` with these credentials (401 otherwise). */
  readonly basicAuth?: { readonly principal: string; readonly secret: string };
  /** Require `Authorization: token=<t>` for a token this predicate accepts (401 otherwise). */
  readonly acceptToken?: (token: string) => boolean;
  readonly behaviour?: FakeBehaviour;
  readonly version?: string;
}

/** One request as the fake master saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface FakeMaster {
  readonly host: string;
  readonly port: number;
  /** `host:port`. */
  readonly hostPort: string;
  /** `http://host:port` or `https://host:port`. */
  readonly url: string;
  /** Every request received so far, oldest first. */
  readonly requests: readonly SeenRequest[];
  /** Announce `"self"` or another master (`host:port`) as the leader from now on. */
  setLeader(leader: string): void;
  /** The leader currently announced, `host:port`. */
  leader(): string;
  setState(state: unknown): void;
  setBehaviour(behaviour: FakeBehaviour): void;
  /** Stops listening and drops every open connection (hanging requests included). */
  stop(): Promise<void>;
}

const STATE_PATHS = new Set(["/master/state", "/master/state.json", "/state", "/state.json"]);

/** Starts a fake master; resolves once it listens. */
export async function startFakeMaster(options: FakeMasterOptions): Promise<FakeMaster> {
  const host = options.host ?? "127.0.0.1";
  let state = options.state;
  let leaderSetting = options.leader ?? "self";
  let behaviour: FakeBehaviour = options.behaviour ?? { kind: "ok" };
  const requests: SeenRequest[] = [];
  const hanging = new Set<() => void>();
  const version = options.version ?? "1.11.0";

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

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    requests.push({
      method: request.method,
      path: url.pathname,
      headers: Object.fromEntries(request.headers.entries()),
    });
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
      state = next;
    },
    setBehaviour(next: FakeBehaviour) {
      behaviour = next;
    },
    async stop() {
      for (const release of hanging) release();
      hanging.clear();
      await server.stop(true);
    },
  };
}

function bracket(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
