/** Shared helpers of the operator event tests: builders of v1 JSON and result narrowing. */
import { readFileSync } from "node:fs";
import { type OperatorEvent, parseOperatorEvent } from "../../../src/core/mesos/operator-event.ts";

/** The non-empty lines of a file. */
export function lines(path: string): string[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "");
}

/** Parses `json` (an object, sent as JSON text); the event, failing the test on an error. */
export function event(json: unknown): { event: OperatorEvent; warnings: string[] } {
  const result = parseOperatorEvent(JSON.stringify(json));
  if (!result.ok) throw new Error(`unexpected error: ${result.error}`);
  return result;
}

/** Parses `json`; the error, failing the test on success. */
export function failure(json: unknown): string {
  const result = parseOperatorEvent(typeof json === "string" ? json : JSON.stringify(json));
  if (result.ok) throw new Error(`unexpected event: ${JSON.stringify(result.event)}`);
  return result.error;
}

/** Narrows to one event type. */
export function as<T extends OperatorEvent["type"]>(
  value: OperatorEvent,
  type: T,
): OperatorEvent & { type: T } {
  if (value.type !== type) throw new Error(`expected ${type}, got ${value.type}`);
  return value as OperatorEvent & { type: T };
}

export const v1Task = (over: Record<string, unknown> = {}) => ({
  name: "web",
  task_id: { value: "web.1" },
  framework_id: { value: "fw-1" },
  agent_id: { value: "a-S0" },
  state: "TASK_RUNNING",
  resources: [
    { name: "cpus", type: "SCALAR", scalar: { value: 0.1 } },
    { name: "ports", type: "RANGES", ranges: { range: [{ begin: 31000, end: 31001 }] } },
  ],
  ...over,
});
export const taskAdded = (task: unknown) => ({ type: "TASK_ADDED", task_added: { task } });
export const subscribed = (getState: unknown, more: Record<string, unknown> = {}) => ({
  type: "SUBSCRIBED",
  subscribed: { get_state: getState, heartbeat_interval_seconds: 15, ...more },
});
export const agent = (over: Record<string, unknown> = {}, info: Record<string, unknown> = {}) => ({
  agent_info: { id: { value: "a-S0" }, hostname: "10.0.0.4", port: 5051, ...info },
  pid: "slave(1)@10.0.0.4:5051",
  active: true,
  ...over,
});
