/**
 * What one task key's records are made from in a view, and whether two sets of host
 * look-ups agree (when they do not, every unit may change).
 *
 * @module
 */

import type { ClusterView } from "../mesos/cluster-view.ts";
import type { TaskUnitInput } from "../records/unit-records.ts";

/** The input of one task key's records in `view`. */
export function inputOf(view: ClusterView, key: string): TaskUnitInput | undefined {
  const list = view.tasks.get(key);
  if (list === undefined || list.length === 0) return undefined;
  const frameworkId = list[0]!.frameworkId;
  return {
    framework: view.frameworks.get(frameworkId)?.name,
    tasks: list.map((t) => t.task),
    agents: list.map((t) => view.agents.get(t.task.slaveId)),
  };
}

export function sameResolved(
  a: ReadonlyMap<string, readonly string[]> | undefined,
  b: ReadonlyMap<string, readonly string[]>,
): boolean {
  if (a === undefined || a.size !== b.size) return false;
  for (const [host, ips] of a) {
    const other = b.get(host);
    if (other === undefined || other.length !== ips.length || other.some((ip, i) => ip !== ips[i]))
      return false;
  }
  return true;
}
