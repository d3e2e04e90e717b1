/**
 * One refresh's work (SPEC 7.2 step 1): fetch the state from the masters list, parse it,
 * resolve the host names it names and generate the record set, ready to publish.
 *
 * @module
 */
import { resolveHosts } from "./_resolve-hosts.ts";
import type { Authenticator } from "./auth.ts";
import type { Config } from "./config.ts";
import type { MastersList } from "./masters-list.ts";
import type { Platform, TlsClientOptions } from "./platform.ts";
import { generateRecords } from "./records.ts";
import type { Snapshot } from "./snapshot.ts";
import { hostnamesToResolve, type MesosState, parseState } from "./state.ts";
import { fetchState } from "./state-fetch.ts";

/** Per-host lookup timeout (SPEC 10 #42: keep the lookups, bound them). */
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
  const lookups = await resolveHosts(platform, hosts, LOOKUP_TIMEOUT_MS);
  const records = generateRecords({
    state,
    config,
    masters,
    resolved: lookups.resolved,
    localAddresses: platform.localAddresses(),
  });
  return {
    ok: true,
    master,
    snapshot: { records, leader: state.leader, masters },
    warnings: [...warnings, ...lookups.warnings, ...records.warnings],
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
