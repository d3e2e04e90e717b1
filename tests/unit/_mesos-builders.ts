/** Small builders for normalised Mesos state in generator tests, and generation helpers. */
import { type Config, defaultConfig } from "../../src/core/config/config.ts";
import type { MesosFramework, MesosState, MesosStatus, MesosTask } from "../../src/core/mesos/state-model.ts";
import type { RecordSet } from "../../src/core/records/record-set.ts";
import { type GenerateInput, generateRecords } from "../../src/core/records/records.ts";

export function status(over: Partial<MesosStatus> = {}): MesosStatus {
  return { state: "TASK_RUNNING", timestamp: 0, labels: [], networkIps: [], ...over };
}

export function dockerStatus(timestamp: number, ...ips: string[]): MesosStatus {
  return status({
    timestamp,
    labels: ips.map((value) => ({ key: "Docker.NetworkSettings.IPAddress", value })),
  });
}

export function netinfoStatus(timestamp: number, ...ips: string[]): MesosStatus {
  return status({ timestamp, networkIps: ips });
}

export function task(over: Partial<MesosTask> = {}): MesosTask {
  return {
    id: "app.1",
    name: "app",
    slaveId: "agent-S1",
    state: "TASK_RUNNING",
    ports: [],
    statuses: [],
    discovery: undefined,
    ...over,
  };
}

export function framework(over: Partial<MesosFramework> = {}): MesosFramework {
  return { id: "", name: "marathon", pid: undefined, hostname: "", tasks: [], ...over };
}

export function state(over: Partial<MesosState> = {}): MesosState {
  return {
    leader: "",
    frameworks: [],
    slaves: [{ id: "agent-S1", pid: { host: "10.0.0.1", port: 5051 } }],
    ...over,
  };
}

/** `generateRecords` with test defaults (listener 127.0.0.1, no masters, nothing resolved). */
export function generate(
  over: Omit<Partial<GenerateInput>, "config"> & { config?: Partial<Config> } = {},
): RecordSet {
  return generateRecords({
    state: over.state ?? state(),
    config: { ...defaultConfig(), Listener: "127.0.0.1", ...over.config },
    masters: over.masters ?? [],
    resolved: over.resolved ?? new Map(),
    localAddresses: over.localAddresses ?? [],
  });
}

/** Every record as `name TYPE value`, sorted. */
export function dump(records: RecordSet, filter: (name: string) => boolean = () => true): string[] {
  const out: string[] = [];
  for (const [type, map] of [
    ["A", records.a],
    ["AAAA", records.aaaa],
    ["SRV", records.srv],
  ] as const) {
    for (const [name, values] of map)
      if (filter(name)) for (const value of values) out.push(`${name} ${type} ${value}`);
  }
  return out.sort();
}
