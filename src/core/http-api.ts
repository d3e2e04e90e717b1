/**
 * The HTTP API: upstream's `/v1/*` endpoints, byte-compatible (SPEC 8), plus this
 * project's `/metrics` (Prometheus), `/health` (liveness) and `/ready` (readiness).
 *
 * A pure `Request -> Response` function built with Hono (runtime-neutral); the platform
 * adapter serves it. Deliberate differences from upstream, all safe for clients:
 * - `/v1/hosts/.*` (empty name after normalising) answers the empty shape, not a 500 with
 *   a stack trace (SPEC 10 #39); any handler failure is a 500 `{"error":"internal error"}`.
 * - `/v1/config` masks the Basic-auth secret and the `zk` password (SPEC 10 #20, via `configView`).
 * - `/v1/enumerate` writes `[]` where upstream wrote `null` (SPEC 10 #30).
 * - Before the first state load, lookups answer their empty shapes and enumerate answers
 *   `{"frameworks": []}` (upstream served nothing until then).
 *
 * @module
 */
import { Hono } from "hono";
import { goMarshalIndent } from "./_go-json.ts";
import { jsonResponse, methodNotAllowed, notFound, textResponse, upstreamGate } from "./_http-gate.ts";
import { enumerationBody, inDomain, lookupHosts, lookupServices } from "./_http-lookups.ts";
import type { Config } from "./config.ts";
import { configView } from "./config-view.ts";
import type { MetricsRegistry } from "./metrics.ts";
import { RecordSetBuilder } from "./record-set.ts";
import type { Snapshot } from "./snapshot.ts";
import { axfrJson } from "./zone-text.ts";

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
  /** Called per `/v1/hosts` and `/v1/services` lookup, for upstream's statistics (SPEC 7.3). */
  lookupStats?: (inDomain: boolean, found: boolean) => void;
  /** Called with anything a handler threw (it has become a 500); for logging. */
  onInternalError?: (error: unknown, path: string) => void;
  /** Turns a body value into JSON text; `goMarshalIndent` unless a test counts the calls. */
  serialise?: (value: unknown) => string;
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

/** `/ready`: 200 while a snapshot younger than the limit exists, else 503 with the reason. */
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
  return jsonResponse(200, JSON.stringify({ ready: true, stateAgeSeconds: age, leader: snapshot.leader }));
}
