import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  readFramework,
  readStatus,
  readStatusFast,
  readTask,
  readTaskFast,
} from "../../../src/core/mesos/_state-reader.ts";
import {
  check,
  frameworkSchema,
  readStatusBySchema,
  readTaskBySchema,
} from "../../../src/core/mesos/_state-schema.ts";

/** A value of the expected kind most of the time, else absent, null or of another type. */
function sometimes<T>(expected: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  const other = fc.oneof(
    fc.integer(),
    fc.double(), // NaN and infinities included
    fc.boolean(),
    fc.string(),
    fc.constant([]),
    fc.constant({}),
    fc.constant([{ ip_address: "10.0.0.1" }]),
  );
  return fc.oneof(
    { weight: 12, arbitrary: expected },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: other },
  );
}

const text = sometimes(fc.constantFrom("", "web", "TASK_RUNNING", "10.0.0.1", "fd00::1", "a-S1"));
const list = <T>(item: fc.Arbitrary<T>) => sometimes(fc.array(item, { maxLength: 3 }));
const object = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) =>
  sometimes(fc.record(fields, { requiredKeys: [] }));

const status = object({
  state: text,
  timestamp: sometimes(fc.oneof(fc.integer(), fc.double())),
  labels: list(object({ key: text, value: text, extra: text })),
  container_status: object({
    network_infos: list(object({ ip_addresses: list(object({ ip_address: text })), ip_address: text })),
  }),
  uuid: text,
});
const task = object({
  id: text,
  name: text,
  slave_id: text,
  state: text,
  resources: object({ ports: text, cpus: sometimes(fc.double()) }),
  statuses: list(status),
  discovery: object({
    name: text,
    ports: object({ ports: list(object({ number: sometimes(fc.integer()), name: text, protocol: text })) }),
  }),
  executor_id: text,
});
const framework = object({ id: text, name: text, pid: text, hostname: text, tasks: list(fc.constant({})) });

describe("readTask()", () => {
  test("readTaskFast() gives the schema's result wherever it answers, and declines every entity the schema rejects", () => {
    fc.assert(
      fc.property(task, (raw) => {
        const slow = readTaskBySchema(raw);
        const fast = readTaskFast(raw);
        if (typeof slow === "string") expect(fast).toBeUndefined();
        else if (fast !== undefined) expect(fast).toEqual(slow);
        expect(readTask(raw)).toEqual(slow);
      }),
      { numRuns: 3000 },
    );
  });

  test("readTaskFast() answers for well-formed tasks, so the schema runs only for odd ones", () => {
    fc.assert(
      fc.property(task, (raw) => {
        const slow = readTaskBySchema(raw);
        if (typeof slow !== "string" && isPlain(raw)) expect(readTaskFast(raw)).toEqual(slow);
      }),
      { numRuns: 3000 },
    );
    const marathon = {
      id: "web.48dccce7-90bc-11e6-ae70-70b3d5800001",
      name: "web",
      framework_id: "fw",
      executor_id: "",
      slave_id: "a-S1",
      state: "TASK_RUNNING",
      resources: { cpus: 0.1, mem: 128, disk: 0, ports: "[31000-31001]" },
      statuses: [
        {
          state: "TASK_RUNNING",
          timestamp: 1700000000.5,
          labels: [{ key: "Docker.NetworkSettings.IPAddress", value: "172.17.0.2" }],
          container_status: { network_infos: [{ ip_addresses: [{ ip_address: "10.0.0.5" }] }] },
        },
      ],
      discovery: {
        visibility: "FRAMEWORK",
        name: "web",
        ports: { ports: [{ number: 80, name: "http", protocol: "tcp" }] },
      },
    };
    expect(readTaskFast(marathon)).toEqual(readTaskBySchema(marathon) as never);
  });

  test("readTask() keeps the schema's message for a bad field", () => {
    expect(readTask({ name: "x", statuses: [{ timestamp: "1" }] })).toContain("statuses.0.timestamp");
  });
});

describe("readStatus()", () => {
  test("readStatusFast() gives the schema's result wherever it answers, and declines every status the schema rejects", () => {
    fc.assert(
      fc.property(status, (raw) => {
        const slow = readStatusBySchema(raw);
        const fast = readStatusFast(raw);
        if (typeof slow === "string") expect(fast).toBeUndefined();
        else if (fast !== undefined) expect(fast).toEqual(slow);
        expect(readStatus(raw)).toEqual(slow);
      }),
      { numRuns: 2000 },
    );
  });

  test("readStatus() reads a status as readTask() reads it inside a task", () => {
    fc.assert(
      fc.property(status, (raw) => {
        const alone = readStatus(raw);
        const inTask = readTask({ statuses: [raw] });
        if (typeof alone === "string") expect(inTask).toBeTypeOf("string");
        else expect(inTask).toMatchObject({ statuses: [alone] });
      }),
      { numRuns: 2000 },
    );
  });
});

describe("readFramework()", () => {
  test("readFramework() agrees with the framework schema", () => {
    fc.assert(
      fc.property(framework, (raw) => {
        const result = check(frameworkSchema, raw);
        const read = readFramework(raw);
        if (result.ok) expect(read).toEqual(result.value);
        else expect(read).toBe(result.error);
      }),
      { numRuns: 2000 },
    );
  });
});

/** True when every value in `raw` is JSON-like: no NaN, which the fast reader declines. */
function isPlain(raw: unknown): boolean {
  if (typeof raw === "number") return !Number.isNaN(raw);
  if (Array.isArray(raw)) return raw.every(isPlain);
  if (typeof raw === "object" && raw !== null) return Object.values(raw).every(isPlain);
  return true;
}
