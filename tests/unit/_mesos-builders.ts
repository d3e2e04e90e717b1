/** Small builders for normalised Mesos state in generator tests. */
import type { MesosFramework, MesosState, MesosStatus, MesosTask } from "../../src/core/state.ts";

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
  return { name: "marathon", pid: undefined, hostname: "", tasks: [], ...over };
}

export function state(over: Partial<MesosState> = {}): MesosState {
  return {
    leader: "",
    frameworks: [],
    slaves: [{ id: "agent-S1", pid: { host: "10.0.0.1", port: 5051 } }],
    ...over,
  };
}
