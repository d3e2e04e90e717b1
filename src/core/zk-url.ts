/**
 * Parsing the `zk` setting (SPEC 3.3): `zk://[user:pass@]host1:port1,host2:port2/path`,
 * or, as upstream's detector library also accepts, a bare `host:port` or
 * `master@host:port` naming a fixed leader without ZooKeeper.
 *
 * @module
 */

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

/** Parses the `zk` setting; errors name the value. */
export function parseZkUrl(value: string): ZkUrlResult {
  const fail = (why: string): ZkUrlResult => ({ ok: false, error: `Invalid zk "${value}": ${why}` });
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(value);
  if (!scheme) {
    // Upstream's detector: a bare `host:port` or `master@host:port` is a fixed leader.
    const leader = value.includes("@") ? value.slice(value.lastIndexOf("@") + 1) : value;
    if (/^(\[[0-9a-fA-F:.]+\]|[^:/@\s]+):\d{1,5}$/.test(leader)) {
      return { ok: true, target: { kind: "fixed", leader } };
    }
    return fail("want zk://host:port[,host:port...]/path");
  }
  if (scheme[1]?.toLowerCase() !== "zk") return fail(`scheme "${scheme[1]}" is not zk`);
  const rest = value.slice(scheme[0].length);
  const slash = rest.indexOf("/");
  if (slash < 0 || slash === rest.length - 1) return fail("no znode path");
  let authority = rest.slice(0, slash);
  const path = rest.slice(slash).replace(/\/+$/, "");
  let credentials = "";
  const at = authority.lastIndexOf("@");
  if (at >= 0) {
    credentials = authority.slice(0, at);
    authority = authority.slice(at + 1);
  }
  const hosts = authority.split(",");
  for (const host of hosts) {
    if (!/^(\[[0-9a-fA-F:.]+\]|[^:/\s[\]]+)(:\d{1,5})?$/.test(host)) {
      return fail(`bad host "${host}"`);
    }
  }
  return { ok: true, target: { kind: "zookeeper", servers: hosts.join(","), path, credentials } };
}
