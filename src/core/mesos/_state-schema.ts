/**
 * The valibot schemas of the parts of the Mesos master state that Mesos-DNS reads (docs/spec.md
 * §4.1), one per entity so that a bad entity fails alone, and the normalised task they read
 * into. Unknown keys are ignored and `null` counts as absent, as Go's decoder treats it for
 * plain fields. The fast reader in `_state-reader.ts` has the same meaning; these schemas
 * decide (and word the message) for any entity it declines.
 *
 * @module
 */

import * as v from "valibot";
import { EMPTY, type MesosStatus } from "./state-model.ts";

const text = v.nullish(v.string(), "");

const labelSchema = v.object({ key: text, value: text });
const labelsSchema = v.nullish(v.array(labelSchema), []);

/** Mesos >= 0.26 `ip_addresses[]` and the 0.25 single `ip_address`, side by side. */
const networkInfoSchema = v.object({
  ip_addresses: v.nullish(v.array(v.object({ ip_address: text })), []),
  ip_address: text,
});

const statusSchema = v.object({
  state: text,
  timestamp: v.nullish(v.number(), 0),
  labels: labelsSchema,
  container_status: v.nullish(v.object({ network_infos: v.nullish(v.array(networkInfoSchema), []) }), () => ({
    network_infos: [],
  })),
});

const discoveryPortSchema = v.object({
  number: v.nullish(v.number(), 0),
  name: text,
  protocol: text,
});

const discoverySchema = v.object({
  name: text,
  ports: v.nullish(v.object({ ports: v.nullish(v.array(discoveryPortSchema), []) }), () => ({ ports: [] })),
});

/** One entry of `frameworks[].tasks[]`. */
export const taskSchema = v.object({
  id: text,
  name: text,
  slave_id: text,
  state: text,
  resources: v.nullish(v.object({ ports: text }), () => ({ ports: "" })),
  statuses: v.nullish(v.array(statusSchema), []),
  discovery: v.nullish(discoverySchema),
});

/**
 * A framework's `id`: any value that is not a string reads as "". Only streamed events refer
 * to frameworks by id, so a bad one must not cost the framework its tasks.
 */
const frameworkId = v.optional(
  v.pipe(
    v.unknown(),
    v.transform((value): string => (typeof value === "string" ? value : "")),
  ),
  "",
);

/** One entry of `frameworks[]`; its tasks are checked one by one with {@link taskSchema}. */
export const frameworkSchema = v.object({
  id: frameworkId,
  name: text,
  pid: v.nullish(v.string()),
  hostname: text,
  tasks: v.nullish(v.array(v.unknown()), []),
});

/** One entry of `slaves[]`. */
export const agentSchema = v.object({
  id: text,
  pid: v.nullish(v.string()),
});

export type TaskInput = v.InferOutput<typeof taskSchema>;
export type FrameworkInput = v.InferOutput<typeof frameworkSchema>;
export type AgentInput = v.InferOutput<typeof agentSchema>;

/** Validates `input` against `schema`; on failure, one line saying where and what. */
export function check<TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
): { ok: true; value: v.InferOutput<TSchema> } | { ok: false; error: string } {
  const result = v.safeParse(schema, input, { abortEarly: true });
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  const received = issue.received;
  return {
    ok: false,
    error: `${path === null ? "" : `field "${path}": `}expected ${issue.expected ?? "a valid value"}, got ${received}`,
  };
}

/** A DiscoveryInfo port as read; its range is checked by the caller. */
export interface DiscoveryPortFields {
  readonly number: number;
  readonly name: string;
  readonly protocol: string;
}

/** A task as read: statuses normalised, ports and DiscoveryInfo still to be checked by the caller. */
export interface TaskFields {
  readonly id: string;
  readonly name: string;
  readonly slaveId: string;
  readonly state: string;
  /** `resources.ports`, "" when absent. */
  readonly portText: string;
  readonly statuses: readonly MesosStatus[];
  /** Undefined when absent; its name may be "". */
  readonly discovery: { readonly name: string; readonly ports: readonly DiscoveryPortFields[] } | undefined;
}

/** A framework as read; `tasks` are still raw. */
export interface FrameworkFields {
  readonly id: string;
  readonly name: string;
  readonly pid?: string | null | undefined;
  readonly hostname: string;
  readonly tasks: readonly unknown[];
}

/** Reads one task through the valibot schema: its fields, or a one-line error naming the bad field. */
export function readTaskBySchema(raw: unknown): TaskFields | string {
  const result = check(taskSchema, raw);
  if (!result.ok) return result.error;
  const input = result.value;
  const discovery = input.discovery;
  return {
    id: input.id,
    name: input.name,
    slaveId: input.slave_id,
    state: input.state,
    portText: input.resources.ports,
    statuses: input.statuses.map(toStatus),
    discovery: discovery ? { name: discovery.name, ports: discovery.ports.ports } : undefined,
  };
}

/** Reads one status through the valibot schema: the status, or a one-line error naming the bad field. */
export function readStatusBySchema(raw: unknown): MesosStatus | string {
  const result = check(statusSchema, raw);
  return result.ok ? toStatus(result.value) : result.error;
}

function toStatus(status: TaskInput["statuses"][number]): MesosStatus {
  const infos = status.container_status.network_infos;
  let networkIps: string[] | readonly never[] = EMPTY;
  if (infos.length > 0) {
    const ips: string[] = [];
    for (const info of infos) {
      if (info.ip_addresses.length > 0) for (const address of info.ip_addresses) ips.push(address.ip_address);
      else ips.push(info.ip_address);
    }
    networkIps = ips;
  }
  const labels = status.labels.length > 0 ? status.labels : EMPTY;
  return { state: status.state, timestamp: status.timestamp, labels, networkIps };
}
