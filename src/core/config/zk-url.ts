/**
 * Parsing the `zk` setting (docs/spec.md §3.3): `zk://[user:pass@]host1:port1,host2:port2/path`,
 * or, as upstream's detector library also accepts, a bare `host:port` or
 * `master@host:port` naming a fixed leader without ZooKeeper. Upstream's `file://<path>`
 * form is not supported and is rejected with a message saying so.
 *
 * @module
 */
import { parsePort, splitHostPort } from "../net/ip.ts";

/** A parsed `zk` value. */
export type ZkTarget =
  | {
      readonly kind: "zookeeper";
      /** Comma-separated `host:port` list, credentials removed. */
      readonly servers: string;
      /** The znode whose children are the master candidates, e.g. `/mesos`. */
      readonly path: string;
      /** `user:pass` from the authority, "" when absent (used as digest auth). */
      readonly credentials: string;
    }
  | { readonly kind: "fixed"; readonly leader: string };

export type ZkUrlResult = { ok: true; target: ZkTarget } | { ok: false; error: string };

/** Shown in place of a password or secret wherever configuration is displayed. */
export const MASKED_SECRET = "********";

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;
const FORMS = "zk://host:port[,host:port...]/path, host:port or master@host:port";

/**
 * The `zk` value with the password of its userinfo replaced by {@link MASKED_SECRET}
 * (`zk://mesos:********@host:2181/mesos`), for every message and view that shows it.
 * The userinfo ends at the last `@` of the authority; when the authority has none but a
 * later `@` exists, the password may contain `/`, so everything up to the last `@` counts
 * as userinfo (over-masking a znode path containing `@` is the safe error).
 */
export function redactZk(value: string): string {
  const scheme = SCHEME.exec(value)?.[0] ?? "";
  const rest = value.slice(scheme.length);
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const at = authority.includes("@") ? authority.lastIndexOf("@") : rest.lastIndexOf("@");
  if (at < 0) return value;
  const colon = rest.indexOf(":");
  if (colon < 0 || colon > at) return value;
  return `${scheme}${rest.slice(0, colon + 1)}${MASKED_SECRET}${rest.slice(at)}`;
}

/** Parses the `zk` setting; errors name the value, its password masked. */
export function parseZkUrl(value: string): ZkUrlResult {
  const fail = (why: string): ZkUrlResult => ({
    ok: false,
    error: `Invalid zk ${JSON.stringify(redactZk(value))}: ${why}`,
  });
  const scheme = SCHEME.exec(value);
  if (!scheme) {
    // Upstream's detector: a bare `host:port` or `master@host:port` is a fixed leader.
    const leader = value.includes("@") ? value.slice(value.lastIndexOf("@") + 1) : value;
    if (isHostPort(leader)) return { ok: true, target: { kind: "fixed", leader } };
    return fail(`expected ${FORMS}`);
  }
  const name = scheme[1]!.toLowerCase();
  if (name === "file") {
    return fail(`file:// is not supported (upstream reads the zk URL from that file); expected ${FORMS}`);
  }
  if (name !== "zk") return fail(`scheme "${scheme[1]}" is not zk`);
  const rest = value.slice(scheme[0].length);
  const slash = rest.indexOf("/");
  let authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? "" : rest.slice(slash).replace(/\/+$/, "");
  let credentials = "";
  const at = authority.lastIndexOf("@");
  if (at >= 0) {
    credentials = authority.slice(0, at);
    authority = authority.slice(at + 1);
  } else if (rest.includes("@", slash)) {
    // Without quoting the authority: it would be the start of a password containing `/`.
    return fail('bad host list; a password cannot contain "/"');
  }
  const hosts = authority.split(",");
  for (const host of hosts) {
    if (!isHostPort(host)) return fail(`bad host "${host}"; expected host:port with port 1..65535`);
  }
  if (path === "") return fail("no znode path");
  return { ok: true, target: { kind: "zookeeper", servers: hosts.join(","), path, credentials } };
}

/** `host:port` with a non-empty host (IPv6 in brackets) and a port 1..65535. */
function isHostPort(text: string): boolean {
  const hp = splitHostPort(text);
  return hp !== undefined && hp.host !== "" && !/[\s/@,]/.test(hp.host) && parsePort(hp.port) !== undefined;
}
