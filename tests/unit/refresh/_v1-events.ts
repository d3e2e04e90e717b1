/**
 * Builders of operator API v1 event JSON (master.proto `Event`) for the follower tests:
 * frameworks, agents and tasks in their v1 shapes (ids as `{ "value": ... }`, host ports as
 * a `RANGES` resource, network IPs in `container_status.network_infos`), and the events
 * that carry them. Plain JSON, no code under test.
 */

type Json = Record<string, unknown>;

export interface FrameworkSpec {
  readonly id: string;
  readonly name: string;
  readonly hostname?: string;
}

export interface AgentSpec {
  readonly id: string;
  readonly ip: string;
}

export interface TaskSpec {
  readonly id: string;
  readonly name: string;
  readonly framework: string;
  readonly agent: string;
  /** Default `TASK_RUNNING`. */
  readonly state?: string;
  /** Host ports, each a one-port range. */
  readonly ports?: readonly number[];
  /** Network IPs of a `TASK_RUNNING` status (given a status only when set). */
  readonly ips?: readonly string[];
  /** Timestamp of that status, seconds; default 1. */
  readonly timestamp?: number;
  readonly discovery?: { readonly name: string; readonly ports?: readonly DiscoveryPortSpec[] };
}

export interface DiscoveryPortSpec {
  readonly number: number;
  readonly name?: string;
  readonly protocol?: string;
}

export const v1Framework = (f: FrameworkSpec): Json => ({
  framework_info: {
    user: "root",
    name: f.name,
    id: { value: f.id },
    ...(f.hostname === undefined ? {} : { hostname: f.hostname }),
  },
  active: true,
});

export const v1Agent = (a: AgentSpec): Json => ({
  agent_info: { hostname: a.ip, port: 5051, id: { value: a.id } },
  active: true,
  pid: `slave(1)@${a.ip.includes(":") ? `[${a.ip}]` : a.ip}:5051`,
});

/** A v1 `TaskStatus` of task `id` on agent `agent`. */
export function v1Status(
  id: string,
  agent: string,
  state: string,
  ips: readonly string[] | undefined,
  timestamp: number,
): Json {
  return {
    task_id: { value: id },
    agent_id: { value: agent },
    state,
    timestamp,
    ...(ips === undefined
      ? {}
      : {
          container_status: {
            network_infos: [{ ip_addresses: ips.map((ip) => ({ ip_address: ip })) }],
          },
        }),
  };
}

export function v1Task(t: TaskSpec): Json {
  const state = t.state ?? "TASK_RUNNING";
  const ports = t.ports ?? [];
  return {
    name: t.name,
    task_id: { value: t.id },
    framework_id: { value: t.framework },
    agent_id: { value: t.agent },
    state,
    resources: [
      { name: "cpus", type: "SCALAR", scalar: { value: 0.1 } },
      ...(ports.length === 0
        ? []
        : [
            {
              name: "ports",
              type: "RANGES",
              ranges: { range: ports.map((p) => ({ begin: p, end: p })) },
            },
          ]),
    ],
    ...(t.ips === undefined
      ? {}
      : { statuses: [v1Status(t.id, t.agent, "TASK_RUNNING", t.ips, t.timestamp ?? 1)] }),
    ...(t.discovery === undefined
      ? {}
      : {
          discovery: {
            visibility: "FRAMEWORK",
            name: t.discovery.name,
            ports: {
              ports: (t.discovery.ports ?? []).map((p) => ({
                number: p.number,
                ...(p.name === undefined ? {} : { name: p.name }),
                ...(p.protocol === undefined ? {} : { protocol: p.protocol }),
              })),
            },
          },
        }),
  };
}

export interface ClusterSpec {
  readonly frameworks?: readonly FrameworkSpec[];
  readonly agents?: readonly AgentSpec[];
  readonly tasks?: readonly TaskSpec[];
}

export function subscribed(cluster: ClusterSpec, heartbeatSeconds = 15): Json {
  const frameworks = (cluster.frameworks ?? []).map(v1Framework);
  const agents = (cluster.agents ?? []).map(v1Agent);
  const tasks = (cluster.tasks ?? []).map(v1Task);
  return {
    type: "SUBSCRIBED",
    subscribed: {
      get_state: {
        get_tasks: tasks.length > 0 ? { tasks } : {},
        get_executors: {},
        get_frameworks: frameworks.length > 0 ? { frameworks } : {},
        get_agents: agents.length > 0 ? { agents } : {},
      },
      heartbeat_interval_seconds: heartbeatSeconds,
    },
  };
}

export const heartbeat = (): Json => ({ type: "HEARTBEAT" });
export const taskAdded = (t: TaskSpec): Json => ({ type: "TASK_ADDED", task_added: { task: v1Task(t) } });

export function taskUpdated(
  framework: string,
  id: string,
  agent: string,
  state: string,
  ips?: readonly string[],
  timestamp = 2,
): Json {
  return {
    type: "TASK_UPDATED",
    task_updated: {
      framework_id: { value: framework },
      status: v1Status(id, agent, state, ips, timestamp),
      state,
    },
  };
}

export const agentAdded = (a: AgentSpec): Json => ({
  type: "AGENT_ADDED",
  agent_added: { agent: v1Agent(a) },
});
export const agentRemoved = (id: string): Json => ({
  type: "AGENT_REMOVED",
  agent_removed: { agent_id: { value: id } },
});
export const frameworkAdded = (f: FrameworkSpec): Json => ({
  type: "FRAMEWORK_ADDED",
  framework_added: { framework: v1Framework(f) },
});
export const frameworkUpdated = (f: FrameworkSpec): Json => ({
  type: "FRAMEWORK_UPDATED",
  framework_updated: { framework: v1Framework(f) },
});
export const frameworkRemoved = (id: string): Json => ({
  type: "FRAMEWORK_REMOVED",
  framework_removed: { framework_info: { name: "gone", id: { value: id } } },
});
