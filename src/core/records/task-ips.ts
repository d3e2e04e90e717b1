/**
 * Which IPs a task's records carry (docs/spec.md §4.5, 4.6).
 *
 * @module
 */

import { EMPTY, type MesosStatus, type MesosTask } from "../mesos/state-model.ts";
import { classifyIp, isCanonicalIpv4 } from "../net/ip.ts";

/** An IP ready to store: its record type and canonical text. */
export interface IpValue {
  readonly type: "A" | "AAAA";
  readonly text: string;
}

/** Classifies an IP text; undefined when it is not an IP literal. */
export type Classify = (text: string) => IpValue | undefined;

const DOCKER_IP_LABEL = "Docker.NetworkSettings.IPAddress";
const MESOS_IP_LABEL = "MesosContainerizer.NetworkSettings.IPAddress";

/**
 * {@link classifyIp} with a fast path for canonical IPv4 text, by far the most common value:
 * it is checked without allocating and stored as the very string from the state.
 */
export function fastClassify(text: string): IpValue | undefined {
  if (isCanonicalIpv4(text)) return { type: "A", text };
  return classifyIp(text);
}

/**
 * The one status the status-based sources read (docs/spec.md §4.5): the `TASK_RUNNING` status with
 * the greatest timestamp, the earliest on ties. Upstream starts its search at -1, so a
 * status with a timestamp of -1 or less is never chosen; kept.
 */
export function runningStatus(statuses: readonly MesosStatus[]): MesosStatus | undefined {
  let best: MesosStatus | undefined;
  let latest = -1;
  for (const status of statuses) {
    if (status.state === "TASK_RUNNING" && status.timestamp > latest) {
      latest = status.timestamp;
      best = status;
    }
  }
  return best;
}

/**
 * The task's IPs (docs/spec.md §4.6): sources are tried in `sources` order and the first one that
 * yields at least one valid IP supplies all of them, in order, duplicates kept (the record
 * store merges them). `agentIps` is what the `host` source yields. Unknown sources are ignored.
 */
export function taskIps(
  task: MesosTask,
  sources: readonly string[],
  agentIps: readonly IpValue[],
  classify: Classify = fastClassify,
): readonly IpValue[] {
  let status: MesosStatus | undefined;
  let statusChosen = false;
  for (const source of sources) {
    if (source === "host") {
      if (agentIps.length > 0) return agentIps;
      continue;
    }
    if (source !== "netinfo" && source !== "docker" && source !== "mesos") continue;
    if (!statusChosen) {
      status = runningStatus(task.statuses);
      statusChosen = true;
    }
    if (!status) continue;
    // Lists are read by index after a length check: most are the shared frozen empty list,
    // whose different array shape would otherwise make the optimised code bail out.
    let out: IpValue[] | undefined;
    if (source === "netinfo") {
      const texts = status.networkIps;
      const count = texts.length;
      for (let i = 0; i < count; i++) out = pushValid(out, texts[i]!, classify);
    } else {
      const key = source === "docker" ? DOCKER_IP_LABEL : MESOS_IP_LABEL;
      const labels = status.labels;
      const count = labels.length;
      for (let i = 0; i < count; i++) {
        const entry = labels[i]!;
        if (entry.key === key) out = pushValid(out, entry.value, classify);
      }
    }
    if (out !== undefined) return out;
  }
  return NONE;
}

const NONE: readonly IpValue[] = EMPTY;

/** `out` with `text` appended when it is an IP; the list is made on the first one. */
function pushValid(out: IpValue[] | undefined, text: string, classify: Classify): IpValue[] | undefined {
  if (text === "") return out;
  const ip = classify(text);
  if (!ip) return out;
  if (out === undefined) return [ip];
  out.push(ip);
  return out;
}
