/**
 * One refresh's work (docs/spec.md §7.2 step 1): fetch the state from the masters list, parse it,
 * resolve the host names it names and generate the record set, ready to publish.
 *
 * Host names the state names (docs/spec.md §4.7, 4.8, 10 #42) are resolved with the system resolver,
 * each with its own timeout, a few at a time; one that cannot be resolved becomes a warning,
 * never a failed refresh.
 *
 * @module
 */

import type { Config } from "../config/config.ts";
import { errorMessage } from "../log/log-text.ts";
import type { Authenticator } from "../mesos/auth.ts";
import type { MastersList } from "../mesos/masters-list.ts";
import { hostnamesToResolve, parseState } from "../mesos/state.ts";
import { fetchState } from "../mesos/state-fetch.ts";
import type { MesosState } from "../mesos/state-model.ts";
import type { Platform, TlsClientOptions } from "../platform.ts";
import { generateRecords } from "../records/records.ts";
import type { Snapshot } from "../records/snapshot.ts";

/** Per-host lookup timeout (docs/spec.md §10 #42: keep the lookups, bound them). */
const LOOKUP_TIMEOUT_MS = 2000;

/** A snapshot built but not yet published (serial and load time are set on publishing). */
export type SnapshotOutcome =
  | {
      ok: true;
      /** `host:port` of the master that answered. */
      master: string;
      snapshot: Omit<Snapshot, "serial" | "loadedAtMs">;
      /** State, lookup and generation warnings. */
      warnings: readonly string[];
      /** What the records were made from, for the event follower's reconciliation. */
      state: MesosState;
      resolved: ReadonlyMap<string, readonly string[]>;
      localAddresses: readonly string[];
    }
  | { ok: false; error: string };

/** Builds the next snapshot from `masters`; failures are values. */
export async function buildSnapshot(
  masters: MastersList,
  deps: {
    readonly platform: Platform;
    readonly config: Config;
    readonly auth: Authenticator;
    readonly tls: TlsClientOptions;
  },
): Promise<SnapshotOutcome> {
  const { platform, config, auth, tls } = deps;
  const parsed = await fetchAndParse(masters, { platform, config, auth, tls });
  if (!parsed.ok) return parsed;
  const { state, warnings, master } = parsed;
  if (state.leader === "") {
    return { ok: false, error: `empty master: state from ${JSON.stringify(master)} has no leader` };
  }
  const hosts = hostnamesToResolve(state, { masters, listener: config.Listener });
  const lookups = await lookUpHostNames(platform, hosts, LOOKUP_TIMEOUT_MS);
  const localAddresses = platform.localAddresses();
  const records = generateRecords({ state, config, masters, resolved: lookups.resolved, localAddresses });
  return {
    ok: true,
    master,
    snapshot: { records, leader: state.leader, masters },
    warnings: [...warnings, ...lookups.warnings, ...records.warnings],
    state,
    resolved: lookups.resolved,
    localAddresses,
  };
}

/**
 * Fetches and parses in a function of its own, so the decoded JSON tree (tens of MB for a big
 * cluster) is garbage as soon as the state is parsed, not pinned while records are generated.
 */
async function fetchAndParse(
  masters: MastersList,
  deps: Parameters<typeof fetchState>[1],
): Promise<
  { ok: true; state: MesosState; warnings: string[]; master: string } | { ok: false; error: string }
> {
  const fetched = await fetchState(masters, deps);
  if (!fetched.ok) return fetched;
  return { ok: true, ...parseState(fetched.json), master: fetched.master };
}

/** Lookups running at once; a large cluster must not flood the system resolver. */
const CONCURRENCY = 16;

/** Looks up every host in `hosts`; names that fail become quoted warnings. */
export async function lookUpHostNames(
  platform: Pick<Platform, "lookupHost">,
  hosts: readonly string[],
  timeoutMs: number,
): Promise<{ resolved: Map<string, readonly string[]>; warnings: string[] }> {
  const resolved = new Map<string, readonly string[]>();
  const warnings: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < hosts.length) {
      const host = hosts[next++];
      if (host === undefined) return;
      try {
        const addresses = await platform.lookupHost(host, timeoutMs);
        if (addresses.length > 0) resolved.set(host, addresses);
        else warnings.push(`Cannot resolve host ${JSON.stringify(host)}: no addresses`);
      } catch (error) {
        warnings.push(`Cannot resolve host ${JSON.stringify(host)}: ${errorMessage(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, hosts.length) }, worker));
  return { resolved, warnings };
}
