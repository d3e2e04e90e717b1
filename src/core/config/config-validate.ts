/**
 * Semantic checks of a parsed {@link Config}: upstream's validation steps in upstream's order
 * (docs/spec.md §2.3), then this project's additions (ranges upstream never checked, docs/spec.md §10 #29).
 * The first failure is returned; nothing is thrown.
 *
 * @module
 */

import { classifyIp, isIp, parsePort, splitHostPort } from "../net/ip.ts";
import { CONFIG_KEYS, type Config } from "./config.ts";
import type { ConfigError } from "./config-parse.ts";
import { showValue } from "./config-parse.ts";
import { parseZkUrl, redactZk } from "./zk-url.ts";

const IP_SOURCES = new Set(["host", "docker", "mesos", "netinfo"]);
const DOMAIN = /^[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*$/;
const HOSTNAME = /^[a-zA-Z0-9_-]+(?:\.[a-zA-Z0-9_-]+)*\.?$/;

/**
 * The longest delay, in seconds, a timer can be given: runtimes store delays as signed 32-bit
 * milliseconds and turn anything above 2^31-1 into 1 ms (a refresh loop, instant timeouts).
 */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Integer settings and their accepted ranges. */
const RANGES: ReadonlyArray<[keyof Config, number, number]> = [
  ["RefreshSeconds", 1, MAX_TIMER_SECONDS],
  ["StateTimeoutSeconds", 1, MAX_TIMER_SECONDS],
  ["Port", 0, 65535],
  ["HttpPort", 0, 65535],
  ["Timeout", 0, MAX_TIMER_SECONDS],
  ["ZkDetectionTimeout", 0, MAX_TIMER_SECONDS],
  ["TTL", 0, 2 ** 31 - 1],
  ["SRVRecordDefaultWeight", 0, 65535],
  ["SOASerial", 0, 2 ** 32 - 1],
  ["SOARefresh", 0, 2 ** 32 - 1],
  ["SOARetry", 0, 2 ** 32 - 1],
  ["SOAExpire", 0, 2 ** 32 - 1],
  ["SOAMinttl", 0, 2 ** 32 - 1],
  ["ForwardCacheSize", 0, Number.MAX_SAFE_INTEGER],
  ["ForwardCacheMaxTTL", 0, MAX_TIMER_SECONDS],
  ["ForwardMaxInFlight", 1, Number.MAX_SAFE_INTEGER],
  ["StateMaxBytes", 1024, Number.MAX_SAFE_INTEGER],
  ["ReadyMaxAgeSeconds", 0, MAX_TIMER_SECONDS],
];

/** Returns the first problem with `config`, or undefined when it is usable. */
export function validateConfig(config: Config, file: string): ConfigError | undefined {
  const problem = firstProblem(config);
  if (!problem) return undefined;
  const [key, message, value, expected] = problem;
  return { file, key, value, expected, message: `${file}: ${message}` };
}

/** [documented key, message without the file prefix, offending value as JSON, expectation]. */
type Problem = [string, string, string?, string?];

function firstProblem(c: Config): Problem | undefined {
  // Step 2: service check.
  if (!c.DnsOn && !c.HttpOn) {
    return ["dnsOn", "service validation failed: either DNS or HTTP server should be on"];
  }
  const masters = c.Masters ?? [];
  if (masters.length === 0 && c.Zk === "") {
    return ["masters", 'service validation failed: specify Mesos masters ("masters") or Zookeeper ("zk")'];
  }
  // Step 3: masters.
  const masterProblem = checkMasters(masters);
  if (masterProblem) return ["masters", `error validating masters: ${masterProblem}`];
  // Step 4: resolvers, only consulted when forwarding is on.
  if (c.ExternalOn) {
    const resolverProblem = checkResolvers(c.Resolvers ?? []);
    if (resolverProblem) return ["resolvers", `error validating resolvers: ${resolverProblem}`];
    const zoneProblem = checkZones(c.ZoneResolvers, c.Domain);
    if (zoneProblem) return ["zoneResolvers", zoneProblem];
  }
  // Step 5: IP sources.
  const sourceProblem = checkIpSources(c.IPSources);
  if (sourceProblem) return ["IPSources", `IPSources validation failed: ${sourceProblem}`];
  // Step 6.
  if (!(c.StateTimeoutSeconds > 0)) {
    const n = String(c.StateTimeoutSeconds);
    return [
      "stateTimeoutSeconds",
      `Invalid HTTP Timeout: ${n}; expected an integer > 0`,
      n,
      "an integer > 0",
    ];
  }
  // Step 7.
  const domain = c.Domain.toLowerCase();
  if (!DOMAIN.test(domain)) {
    const shown = JSON.stringify(domain);
    return ["domain", `${shown} is not a valid domain name`, shown, "labels of letters, digits and hyphens"];
  }
  return checkAdditions(c) ?? checkAuthentication(c);
}

/** Ranges, listener addresses and the ZooKeeper URL: checks upstream never made (docs/spec.md §10 #29). */
function checkAdditions(c: Config): Problem | undefined {
  for (const [name, min, max] of RANGES) {
    const key = CONFIG_KEYS[name].json;
    const value = c[name] as number;
    if (!Number.isInteger(value) || value < min || value > max) {
      const expected =
        max === Number.MAX_SAFE_INTEGER
          ? `an integer >= ${min}`
          : max === MAX_TIMER_SECONDS
            ? `an integer ${min}..${max} (seconds; longer timer delays overflow)`
            : `an integer ${min}..${max}`;
      const got = showValue(value);
      return [key, `key "${key}": expected ${expected}, got ${got}`, got, expected];
    }
  }
  for (const name of ["Listener", "HTTPListener"] as const) {
    const key = CONFIG_KEYS[name].json;
    if (!isIp(c[name])) {
      const got = showValue(c[name]);
      return [key, `key "${key}": expected an IP address to listen on, got ${got}`, got, "an IP address"];
    }
  }
  if (c.Zk !== "") {
    // docs/spec.md §3.3: a ZooKeeper URL, or upstream's fixed-leader forms `host:port` and `master@host:port`.
    const parsed = parseZkUrl(c.Zk);
    if (!parsed.ok) {
      const expected = "zk://host:port[,host:port...]/path, host:port or master@host:port";
      return ["zk", `key "zk": ${parsed.error}`, showValue(redactZk(c.Zk)), expected];
    }
  }
  return undefined;
}

/** Step 10, minus what needs the IAM file's content (checked by the loader). */
function checkAuthentication(c: Config): Problem | undefined {
  const mechanism = c.MesosAuthentication;
  if (mechanism === "") return undefined;
  if (mechanism === "basic") {
    if (c.MesosCredentials.Principal === "" && c.MesosCredentials.Secret === "") {
      return [
        "mesosCredentials",
        'invalid HTTP Basic configuration: "mesosAuthentication" is "basic" but "mesosCredentials" has neither principal nor secret',
      ];
    }
    return undefined;
  }
  if (mechanism === "iam") {
    if (c.IAMConfigFile === "") {
      return [
        "IAMConfigFile",
        'missing configuration for specified authentication mechanism: "mesosAuthentication" is "iam" but "IAMConfigFile" is not set',
      ];
    }
    return undefined;
  }
  const got = showValue(mechanism);
  const expected = '"", "basic" or "iam"';
  return [
    "mesosAuthentication",
    `key "mesosAuthentication": unregistered factory requested: expected ${expected}, got ${got}`,
    got,
    expected,
  ];
}

/** Step 3: every entry `host:port` with port 1..65535; no duplicates once IP hosts are canonical. */
export function checkMasters(masters: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const master of masters) {
    const hp = splitHostPort(master);
    if (!hp || hp.host === "" || parsePort(hp.port) === undefined) {
      return `illegal host:port specified: ${JSON.stringify(master)}; expected host:port (IPv6 in brackets) with port 1..65535`;
    }
    const host = classifyIp(hp.host)?.text ?? hp.host;
    const normal = `${host}_${parsePort(hp.port)}`;
    if (seen.has(normal)) return `duplicate found: ${JSON.stringify(master)}`;
    seen.add(normal);
  }
  return undefined;
}

/**
 * Checks one resolver (`ip`, `ip:port`, `[ipv6]:port` or a bare IPv6 literal) and returns its
 * normal form `ip:port` (canonical IP, default port 53), or a problem description.
 */
export function normaliseResolver(
  resolver: string,
): { ok: true; normal: string } | { ok: false; problem: string } {
  const shown = JSON.stringify(resolver);
  // Go's SplitHostPort fails on a bare IPv6 literal (too many colons): upstream then reads it as an IP.
  const hp = splitHostPort(resolver) ?? { host: resolver, port: "53" };
  const ip = classifyIp(hp.host);
  if (!ip) {
    if (hp.host !== "" && HOSTNAME.test(hp.host) && /[a-zA-Z_-]/.test(hp.host)) {
      return {
        ok: false,
        problem: `illegal ip specified: ${shown} is a hostname; resolvers must be IP addresses`,
      };
    }
    return { ok: false, problem: `illegal ip specified: ${shown} is not an IP address or IP:port` };
  }
  const port = parsePort(hp.port);
  if (port === undefined) {
    return { ok: false, problem: `illegal host:port specified: ${shown}; the port must be 1..65535` };
  }
  const normal = ip.type === "AAAA" ? `[${ip.text}]:${port}` : `${ip.text}:${port}`;
  return { ok: true, normal };
}

/** Step 4: each resolver valid, no two equal after normalisation. */
export function checkResolvers(resolvers: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const resolver of resolvers) {
    const r = normaliseResolver(resolver);
    if (!r.ok) return r.problem;
    if (seen.has(r.normal)) return `duplicate found: ${JSON.stringify(resolver)} (same as an earlier entry)`;
    seen.add(r.normal);
  }
  return undefined;
}

/** Step 4, zone resolvers. Zones are compared case-insensitively (docs/spec.md §10 #10). */
export function checkZones(
  zones: Readonly<Record<string, readonly string[]>>,
  domain: string,
): string | undefined {
  const lowerDomain = domain.toLowerCase();
  const suffixes = [`.${lowerDomain}`];
  for (const [zone, resolvers] of Object.entries(zones)) {
    const shown = JSON.stringify(zone);
    if (resolvers.length === 0) return `field ZoneResolver ${shown} is empty`;
    const lower = zone.toLowerCase();
    if (!DOMAIN.test(lower)) return `zoneResolvers: ${shown} is not a valid domain name`;
    const problem = checkResolvers(resolvers);
    if (problem) return `error validating zone resolvers for ${shown}: ${problem}`;
    if (lower === lowerDomain) return `can't specify ZoneResolver for Mesos domain (${lowerDomain})`;
    if (suffixes.includes(`.${lower}`)) return `zoneResolvers: duplicate zone ${shown}`;
    suffixes.push(`.${lower}`);
  }
  for (const a of suffixes) {
    for (const b of suffixes) {
      if (a !== b && a.endsWith(b)) return `ambiguous zone resolvers: ${a} is masked by ${b}`;
    }
  }
  return undefined;
}

/** Step 5. */
export function checkIpSources(sources: readonly string[]): string | undefined {
  if (sources.length === 0) return "empty ip sources";
  if (new Set(sources).size !== sources.length) return "duplicate ip source specified";
  for (const source of sources) {
    if (!IP_SOURCES.has(source)) {
      return `invalid ip source ${JSON.stringify(source)}; expected "host", "docker", "mesos" or "netinfo"`;
    }
  }
  return undefined;
}
