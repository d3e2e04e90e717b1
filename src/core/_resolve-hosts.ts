/**
 * Resolving the framework, agent and master host names a state names (SPEC 4.7, 4.8,
 * 10 #42) with the system resolver, each with its own timeout, a few at a time. A name
 * that cannot be resolved becomes a warning, never a failed refresh.
 *
 * @module
 */
import type { Platform } from "./platform.ts";

/** Lookups running at once; a large cluster must not flood the system resolver. */
const CONCURRENCY = 16;

/** Looks up every host in `hosts`; names that fail become quoted warnings. */
export async function resolveHosts(
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
        warnings.push(`Cannot resolve host ${JSON.stringify(host)}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, hosts.length) }, worker));
  return { resolved, warnings };
}
