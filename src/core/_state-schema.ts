/**
 * Valibot schemas for the parts of the Mesos master state that Mesos-DNS reads (SPEC 4.1),
 * one schema per entity so that a bad entity fails alone. Unknown keys are ignored and
 * `null` counts as absent, as Go's decoder treats it for plain fields.
 *
 * @module
 */

import * as v from "valibot";

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

/** One entry of `frameworks[]`; its tasks are checked one by one with {@link taskSchema}. */
export const frameworkSchema = v.object({
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
