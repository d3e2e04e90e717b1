/**
 * Fetching the state document from the masters list (docs/spec.md §3.4): the believed leader first,
 * then each fallback; a master that names another leader is followed once.
 *
 * Deliberate differences from upstream: the leader is followed at ITS port (docs/spec.md §10 #18);
 * a non-2xx status is a failure (docs/spec.md §10 #19); `/master/state` falls back to
 * `/master/state.json` and `/state.json` on 404 (older Mesos); the body size is bounded
 * (`stateMaxBytes`); an IAM token rejected with 401 is renewed once; a `leader` whose port is
 * not 1..65535 or whose host is neither an IP literal nor a plain host name is not followed.
 * Values from a master are quoted with `JSON.stringify` and error texts carry no control
 * characters, so a state cannot forge log lines.
 *
 * @module
 */

import type { Config } from "../config/config.ts";
import { errorMessage, escapeControls, quote } from "../log/log-text.ts";
import { isIp, joinHostPort, parsePort, splitHostPort } from "../net/ip.ts";
import { NetError, type Platform, type TlsClientOptions } from "../platform.ts";
import { type Authenticator, noAuthenticator } from "./auth.ts";

/** The outcome of one state fetch; never thrown. */
export type FetchResult =
  | { ok: true; json: unknown /** `host:port` of the master that answered. */; master: string }
  | { ok: false; error: string };

export interface FetchStateDeps {
  readonly platform: Pick<Platform, "httpRequest">;
  readonly config: Pick<Config, "MesosHTTPSOn" | "StateTimeoutSeconds" | "StateMaxBytes">;
  readonly auth?: Authenticator;
  readonly tls?: TlsClientOptions;
}

/** Tried in order; the next only when the previous answered 404. */
const STATE_PATHS = ["/master/state", "/master/state.json", "/state.json"];

/** Fetches and JSON-parses the state from `masters` (`[leader, ...fallbacks]`, docs/spec.md §3.1). */
export async function fetchState(masters: readonly string[], deps: FetchStateDeps): Promise<FetchResult> {
  let result: FetchResult;
  try {
    result = await fetchFromList(masters, deps);
  } catch (error) {
    // Bugs in a platform adapter must not stop the refresh loop.
    result = { ok: false, error: `Cannot fetch state: ${errorMessage(error)}` };
  }
  // Parser and network messages can echo bytes a master sent.
  return result.ok ? result : { ok: false, error: escapeControls(result.error) };
}

async function fetchFromList(masters: readonly string[], deps: FetchStateDeps): Promise<FetchResult> {
  if (masters.length === 0) return { ok: false, error: "no masters given to fetch state.json" };
  const [leader = "", ...fallbacks] = masters;
  let last: FetchResult | undefined;
  if (leader !== "") {
    const split = splitMaster(leader);
    if (split.ok) {
      last = await fetchWithFailover(split.host, split.port, deps);
      if (last.ok || fallbacks.length === 0) return last;
    } else {
      last = split;
    }
  }
  for (const master of fallbacks) {
    const split = splitMaster(master);
    if (!split.ok) {
      last = split;
      continue;
    }
    last = await fetchWithFailover(split.host, split.port, deps);
    if (last.ok) return last;
  }
  return last ?? { ok: false, error: "empty master: no leader known and no other master to ask" };
}

/** Upstream `urls.SplitHostPort`: Go's rules, else at the first colon. */
function splitMaster(
  master: string,
): { ok: true; host: string; port: string } | { ok: false; error: string } {
  const split = splitHostPort(master);
  if (split) return { ok: true, ...split };
  const colon = master.indexOf(":");
  if (colon >= 0) return { ok: true, host: master.slice(0, colon), port: master.slice(colon + 1) };
  return { ok: false, error: `Invalid master address ${quote(master)}: want host:port` };
}

async function fetchWithFailover(host: string, port: string, deps: FetchStateDeps): Promise<FetchResult> {
  const first = await singleFetch(host, port, deps);
  if (!first.ok) return first;
  const master = joinHostPort(host, port);
  const leaderField = (first.json as { leader?: unknown } | null)?.leader;
  if (typeof leaderField !== "string" || leaderField === "") {
    return { ok: false, error: `State from master ${quote(master)} does not contain leader information` };
  }
  const leader = usableLeader(leaderField);
  if (!leader) {
    return {
      ok: false,
      error: `State from master ${quote(master)} names no usable leader: ${quote(leaderField)}`,
    };
  }
  // The contacted master is not the leader: ask the leader, at the leader's own port.
  if (leader.host !== host || leader.port !== port) return await singleFetch(leader.host, leader.port, deps);
  return first;
}

/**
 * The `host:port` of a state's `leader` (`<name>@<host>:<port>`), or undefined unless the
 * port is decimal 1..65535 and the host an IP literal (IPv6 bracketed) or a plain host name:
 * the value is about to become a URL and a log line.
 */
function usableLeader(field: string): { host: string; port: string } | undefined {
  const parts = field.split("@");
  if (parts.length !== 2) return undefined;
  const hostPort = parts[1] ?? "";
  const split = splitHostPort(hostPort);
  if (!split || parsePort(split.port) === undefined) return undefined;
  const { host } = split;
  if (hostPort.startsWith("[")) return host.includes(":") && isIp(host) ? split : undefined;
  return isIp(host) || /^[A-Za-z0-9.-]+$/.test(host) ? split : undefined;
}

async function singleFetch(host: string, port: string, deps: FetchStateDeps): Promise<FetchResult> {
  const master = joinHostPort(host, port);
  const scheme = deps.config.MesosHTTPSOn ? "https" : "http";
  const fail = (why: string): FetchResult => ({
    ok: false,
    error: `Cannot fetch state from master ${quote(master)}: ${why}`,
  });
  const auth = deps.auth ?? noAuthenticator;
  for (const path of STATE_PATHS) {
    let response = await request(`${scheme}://${master}${path}`, auth, deps);
    if (!response.ok) return fail(response.error);
    if (response.status === 401 && auth.rejected()) {
      response = await request(`${scheme}://${master}${path}`, auth, deps);
      if (!response.ok) return fail(response.error);
    }
    const { status, body } = response;
    if (status === 404) continue;
    if (status < 200 || status > 299) return fail(`HTTP ${status}`);
    try {
      return { ok: true, json: JSON.parse(new TextDecoder().decode(body)), master };
    } catch (error) {
      return {
        ok: false,
        error: `Cannot parse state from master ${quote(master)} (${body.length} bytes): ${errorMessage(error)}`,
      };
    }
  }
  return fail(`HTTP 404 for ${STATE_PATHS.join(", ")}`);
}

type RequestResult = { ok: true; status: number; body: Uint8Array } | { ok: false; error: string };

async function request(url: string, auth: Authenticator, deps: FetchStateDeps): Promise<RequestResult> {
  const header = await auth.header();
  if (!header.ok) return header;
  const headers: Record<string, string> = {
    "User-Agent": "Mesos-DNS",
    // Upstream sends Content-Type on this GET; kept for masters behind picky proxies.
    "Content-Type": "application/json",
    Accept: "application/json",
  };
  if (header.value !== undefined) headers.Authorization = header.value;
  const { StateTimeoutSeconds, StateMaxBytes } = deps.config;
  try {
    const response = await deps.platform.httpRequest(url, {
      method: "GET",
      headers,
      timeoutMs: StateTimeoutSeconds * 1000,
      maxBytes: StateMaxBytes,
      maxRedirects: 10,
      ...(deps.tls ? { tls: deps.tls } : {}),
    });
    return { ok: true, status: response.status, body: response.body };
  } catch (error) {
    if (error instanceof NetError && error.code === "TIMED_OUT") {
      return { ok: false, error: `no complete answer within stateTimeoutSeconds (${StateTimeoutSeconds} s)` };
    }
    if (error instanceof NetError && error.code === "TOO_LARGE") {
      return { ok: false, error: `state larger than stateMaxBytes (${StateMaxBytes} bytes)` };
    }
    return { ok: false, error: errorMessage(error) };
  }
}
