/**
 * Equality of the entities a {@link ClusterView} holds, field by field over what the records
 * are made from; used to find what a resync or a poll changes.
 *
 * @module
 */

import type { StreamTask } from "./operator-event.ts";
import type { HostPort, MesosAgent, MesosStatus, MesosTask } from "./state-model.ts";

/** A framework as the stream knows it (see `ClusterView`). */
type Framework = { readonly id: string; readonly name: string; readonly hostname: string };

export function samePid(a: HostPort, b: HostPort): boolean {
  return a.host === b.host && a.port === b.port;
}

export function sameAgent(a: MesosAgent, b: MesosAgent): boolean {
  return a.id === b.id && samePid(a.pid, b.pid);
}

export function sameFramework(a: Framework, b: Framework): boolean {
  return a.id === b.id && a.name === b.name && a.hostname === b.hostname;
}

export function sameMap<T>(
  a: ReadonlyMap<string, T>,
  b: ReadonlyMap<string, T>,
  same: (x: T, y: T) => boolean,
): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined || !same(v, w)) return false;
  }
  return true;
}

/** Ids in `a` or `b` whose entry is missing on one side or differs by `same`. */
export function changedIds<T>(
  a: ReadonlyMap<string, T>,
  b: ReadonlyMap<string, T>,
  same: (x: T, y: T) => boolean,
): Set<string> {
  const ids = new Set<string>();
  for (const [id, x] of a) {
    const y = b.get(id);
    if (y === undefined || !same(x, y)) ids.add(id);
  }
  for (const id of b.keys()) if (!a.has(id)) ids.add(id);
  return ids;
}

export function sameTaskList(a: readonly StreamTask[], b: readonly StreamTask[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameTask(a[i]!.task, b[i]!.task)) return false;
  return true;
}

/** Field-by-field equality of two tasks (what the records are made from). */
export function sameTask(a: MesosTask, b: MesosTask): boolean {
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.slaveId === b.slaveId &&
    a.state === b.state &&
    sameList(a.ports, b.ports, (x, y) => x === y) &&
    sameList(a.statuses, b.statuses, sameStatus) &&
    (a.discovery === undefined || b.discovery === undefined
      ? a.discovery === b.discovery
      : a.discovery.name === b.discovery.name &&
        sameList(
          a.discovery.ports,
          b.discovery.ports,
          (x, y) => x.number === y.number && x.name === y.name && x.protocol === y.protocol,
        ))
  );
}

function sameStatus(a: MesosStatus, b: MesosStatus): boolean {
  return (
    a.state === b.state &&
    a.timestamp === b.timestamp &&
    sameList(a.networkIps, b.networkIps, (x, y) => x === y) &&
    sameList(a.labels, b.labels, (x, y) => x.key === y.key && x.value === y.value)
  );
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!)) return false;
  return true;
}
