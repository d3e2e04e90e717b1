/**
 * The HTTP API: upstream's `/v1/*` endpoints, byte-compatible (docs/spec.md §8), plus this
 * project's `/metrics` (Prometheus), `/health` (liveness) and `/ready` (readiness).
 *
 * A pure `Request -> Response` function built with Hono (runtime-neutral); the platform
 * adapter serves it. Deliberate differences from upstream, all safe for clients:
 * - `/v1/hosts/.*` (empty name after normalising) answers the empty shape, not a 500 with
 *   a stack trace (docs/spec.md §10 #39); any handler failure is a 500 `{"error":"internal error"}`.
 * - `/v1/config` masks the Basic-auth secret and the `zk` password (docs/spec.md §10 #20, via `configView`).
 * - `/v1/enumerate` writes `[]` where upstream wrote `null` (docs/spec.md §10 #30).
 * - Before the first state load, lookups answer their empty shapes and enumerate answers
 *   `{"frameworks": []}` (upstream served nothing until then).
 *
 * Before a handler runs, the checks upstream's router (go-restful) makes on a known path, in
 * its order: method (405), body media type (415), `Accept` (406) (docs/spec.md §8.1).
 *
 * @module
 */
import { Hono } from "hono";
import type { Config } from "../config/config.ts";
import type { MetricsRegistry } from "../metrics/metrics.ts";
import { RecordSetBuilder } from "../records/record-set.ts";
import type { Snapshot } from "../records/snapshot.ts";
import { axfrJson } from "../records/zone-text.ts";
import { goMarshalIndent } from "./_go-json.ts";
import { enumerationBody, inDomain, lookupHosts, lookupServices } from "./_http-lookups.ts";
import { configView } from "./config-view.ts";

/** What the HTTP API reads. */
export interface HttpApiDeps {
  readonly config: Config;
  /** Shown by `/v1/version`. */
  readonly version: string;
  /** The current snapshot, or undefined before the first successful load. */
  snapshot(): Snapshot | undefined;
  /** `/metrics` exposes this registry; the API also counts its own requests in it. */
  readonly metrics: MetricsRegistry;
  /** Wall-clock time in milliseconds since the epoch (injected for tests). */
  now(): number;
  /** Called per `/v1/hosts` and `/v1/services` lookup, for upstream's statistics (docs/spec.md §7.3). */
  lookupStats?: (inDomain: boolean, found: boolean) => void;
  /** Called with anything a handler threw (it has become a 500); for logging. */
  onInternalError?: (error: unknown, path: string) => void;
  /** Turns a body value into JSON text; `goMarshalIndent` unless a test counts the calls. */
  serialise?: (value: unknown) => string;
  /** Where the records come from now, shown by `/ready`: `events` or `polling` (the default). */
  source?: () => "events" | "polling";
}

const VERSION_URL = "https://github.com/mesosphere/mesos-dns";
const METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
const INTERNAL_ERROR = JSON.stringify({ error: "internal error" });

type Handler = (request: Request, params: Record<string, string>) => Response;

/**
 * Builds the HTTP API. Registers `mesos_dns_http_requests_total{handler,code}` (requests by
 * route pattern and status code) in `deps.metrics`, so call it once per registry.
 */
export function createHttpApi(deps: HttpApiDeps): (request: Request) => Promise<Response> {
  const { config } = deps;
  const requests = deps.metrics.counter(
    "mesos_dns_http_requests_total",
    "HTTP API requests by route pattern and status code.",
    ["handler", "code"],
  );
  const count = (handler: string, response: Response): Response => {
    requests.inc({ handler, code: String(response.status) });
    return response;
  };

  // strict: false tolerates one trailing slash (`/v1/version/`), as upstream's router does.
  const app = new Hono({ strict: false });

  /** Registers a route for every method, so a known path with another method gets 405. */
  const route = (pattern: string, upstream: boolean, handler: Handler): void => {
    const label = pattern.replace(/:(\w+)/g, "{$1}");
    app.all(pattern, (c) => {
      const request = c.req.raw;
      const refused = upstream
        ? upstreamGate(request)
        : request.method === "GET"
          ? undefined
          : methodNotAllowed();
      if (refused !== undefined) return count(label, refused);
      try {
        return count(label, handler(request, c.req.param() as Record<string, string>));
      } catch (error) {
        deps.onInternalError?.(error, new URL(request.url).pathname);
        return count(label, jsonResponse(500, INTERNAL_ERROR));
      }
    });
  };
  const serialise = deps.serialise ?? goMarshalIndent;
  const json = (value: unknown): Response => jsonResponse(200, serialise(value));
  const records = () => deps.snapshot()?.records;
  /**
   * `/v1/enumerate` and `/v1/axfr` list every record: with 100k tasks one body takes seconds
   * and hundreds of MB to build, blocking DNS on the shared event loop. A snapshot never
   * changes, so each body is built once per snapshot and dropped with it.
   */
  const perSnapshot = (build: (snapshot: Snapshot | undefined) => unknown): (() => Response) => {
    const bodies = new WeakMap<Snapshot, string>();
    return () => {
      const snapshot = deps.snapshot();
      if (snapshot === undefined) return json(build(undefined));
      let body = bodies.get(snapshot);
      if (body === undefined) {
        body = serialise(build(snapshot));
        bodies.set(snapshot, body);
      }
      return jsonResponse(200, body);
    };
  };
  const stats = (name: string, found: boolean): void => {
    deps.lookupStats?.(inDomain(name, config.Domain), found);
  };

  route("/v1/version", true, () => json({ Service: "Mesos-DNS", URL: VERSION_URL, Version: deps.version }));
  route("/v1/config", true, () =>
    json(configView({ ...config, SOASerial: deps.snapshot()?.serial ?? config.SOASerial })),
  );
  route("/v1/hosts/:host", true, (_, params) => {
    const result = lookupHosts(records(), params.host ?? "");
    stats(result.name, result.found);
    return json(result.body);
  });
  route("/v1/hosts/:host/ports", true, () => textResponse(501, "To be implemented..."));
  route("/v1/services/:service", true, (_, params) => {
    const result = lookupServices(records(), params.service ?? "");
    stats(result.name, result.found);
    return json(result.body);
  });
  if (config.EnumerationOn) {
    route(
      "/v1/enumerate",
      true,
      perSnapshot((snapshot) => enumerationBody(snapshot?.records)),
    );
    route(
      "/v1/axfr",
      true,
      perSnapshot((snapshot) => {
        const set = snapshot?.records ?? new RecordSetBuilder().build({ frameworks: [] }, []);
        return axfrJson(set, config, snapshot?.serial ?? config.SOASerial);
      }),
    );
  }

  route(
    "/metrics",
    false,
    () => new Response(deps.metrics.expose(), { status: 200, headers: { "Content-Type": METRICS_TYPE } }),
  );
  route("/health", false, () => jsonResponse(200, JSON.stringify({ status: "ok" })));
  route("/ready", false, () => readiness(deps));

  app.notFound(() => count("notfound", notFound()));
  app.onError((error, c) => {
    deps.onInternalError?.(error, c.req.path);
    return count("error", jsonResponse(500, INTERNAL_ERROR));
  });

  return async (request) => {
    try {
      return await app.fetch(request);
    } catch (error) {
      // Hono turns handler errors into onError; this guards against failures around it.
      deps.onInternalError?.(error, request.url);
      return count("error", jsonResponse(500, INTERNAL_ERROR));
    }
  };
}

/**
 * `/ready`: 200 while a snapshot younger than the limit exists, with the source the records
 * follow (`events` while the master's event stream is live, else `polling`); else 503 with the reason.
 */
function readiness(deps: HttpApiDeps): Response {
  const snapshot = deps.snapshot();
  if (snapshot === undefined) {
    return jsonResponse(503, JSON.stringify({ ready: false, reason: "no state loaded yet" }));
  }
  const limit =
    deps.config.ReadyMaxAgeSeconds > 0 ? deps.config.ReadyMaxAgeSeconds : 3 * deps.config.RefreshSeconds;
  const ageMs = Math.max(0, deps.now() - snapshot.loadedAtMs);
  const age = Math.floor(ageMs / 1000);
  if (ageMs >= limit * 1000) {
    const reason = `state is ${age} s old (limit ${limit} s)`;
    return jsonResponse(503, JSON.stringify({ ready: false, reason }));
  }
  const source = deps.source?.() ?? "polling";
  return jsonResponse(
    200,
    JSON.stringify({ ready: true, stateAgeSeconds: age, leader: snapshot.leader, source }),
  );
}

const TEXT = "text/plain; charset=utf-8";

/** A plain-text response, as Go's net/http sniffs it (`text/plain; charset=utf-8`). */
export function textResponse(status: number, body: string): Response {
  return new Response(body, { status, headers: { "Content-Type": TEXT } });
}

/** A JSON response with upstream's `Content-Type: application/json` (no charset). */
export function jsonResponse(status: number, body: string): Response {
  return new Response(body, { status, headers: { "Content-Type": "application/json" } });
}

/** `404: Page Not Found`, for every unknown path. */
export function notFound(): Response {
  return textResponse(404, "404: Page Not Found");
}

/** `405: Method Not Allowed`, for a known path asked with another method than GET. */
export function methodNotAllowed(): Response {
  return textResponse(405, "405: Method Not Allowed");
}

/**
 * The 405/415/406 rules of upstream's `/v1/*` routes, or undefined when the request may
 * proceed. 415 applies only to a request with a body (`Content-Length` > 0) whose
 * `Content-Type` is not `application/json`; 406 to a non-empty `Accept` naming neither
 * `*\/*` nor `application/json`. Media types are compared case-sensitively, as go-restful does.
 */
export function upstreamGate(request: Request): Response | undefined {
  if (request.method !== "GET") return methodNotAllowed();
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > 0 && !mediaListHas(request.headers.get("content-type") ?? "", ["application/json"])) {
    return textResponse(415, "415: Unsupported Media Type");
  }
  const accept = request.headers.get("accept") ?? "";
  if (accept !== "" && !mediaListHas(accept, ["*/*", "application/json"])) {
    return textResponse(406, "406: Not Acceptable");
  }
  return undefined;
}

/** True when a comma-separated media list names one of `wanted` (parameters after `;` ignored). */
function mediaListHas(list: string, wanted: readonly string[]): boolean {
  for (const part of list.split(",")) {
    const type = (part.split(";")[0] ?? "").trim();
    if (wanted.includes(type)) return true;
  }
  return false;
}
