/**
 * The conformance setup of `../shared/conformance/README.md` for HTTP tests: its config,
 * the reference `/v1/axfr` and `/v1/enumerate` bodies, and a record set rebuilt from them.
 *
 * When `../shared` is missing, `sharedTest` skips (printing why), except under `CI=true`,
 * where the tests run and fail.
 *
 * @module
 */
import { test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Config, defaultConfig } from "../src/core/config/config.ts";
import type { Enumeration, RecordSet, RecordType } from "../src/core/records/record-set.ts";
import { RecordSetBuilder } from "../src/core/records/record-set.ts";

export const SHARED_DIR = fileURLToPath(new URL("../../shared/", import.meta.url));

const missing = [
  "conformance/http-axfr-fake.json",
  "conformance/http-enumerate-fake.json",
  "fixtures/fake.json",
]
  .filter((rel) => !existsSync(SHARED_DIR + rel))
  .map((rel) => SHARED_DIR + rel);

/** Why shared-fixture tests cannot run, or undefined when they can. */
export const sharedMissing: string | undefined =
  missing.length === 0 ? undefined : `shared fixtures not found: ${missing.join(", ")}`;

if (sharedMissing !== undefined && process.env.CI !== "true") {
  console.warn(`Skipping tests that need ../shared: ${sharedMissing}`);
}

/** `test`, or `test.skip` when ../shared is missing outside CI. */
export const sharedTest = sharedMissing === undefined || process.env.CI === "true" ? test : test.skip;

/** Parses a JSON file under ../shared. */
export function readShared(rel: string): unknown {
  return JSON.parse(readFileSync(SHARED_DIR + rel, "utf8"));
}

/** The reference `/v1/axfr` body. */
export interface AxfrBody {
  TTL: number;
  Serial: number;
  RefreshSeconds: number;
  Mname: string;
  Rname: string;
  Domain: string;
  Records: { As: Record<string, string[]>; AAAAs: Record<string, string[]>; SRVs: Record<string, string[]> };
}

export function referenceAxfr(): AxfrBody {
  return readShared("conformance/http-axfr-fake.json") as AxfrBody;
}

export function referenceEnumerate(): Enumeration {
  return readShared("conformance/http-enumerate-fake.json") as Enumeration;
}

/** The server configuration the conformance tables assume. */
export function conformanceConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...defaultConfig(),
    Masters: ["127.0.0.1:5050"],
    RefreshSeconds: 5,
    TTL: 60,
    Domain: "mesos",
    Port: 8053,
    Resolvers: ["127.0.0.1:5353"],
    Timeout: 5,
    Listener: "127.0.0.1",
    HTTPListener: "127.0.0.1",
    HttpPort: 8123,
    SOAMname: "ns1.mesos.",
    SOARname: "root.ns1.mesos.",
    IPSources: ["netinfo", "mesos", "host"],
    EnumerationOn: true,
    File: "config.json",
    ...overrides,
  };
}

/**
 * A record set holding exactly the reference axfr records, with the reference enumeration
 * (`null` lists turned into `[]`, the project's documented improvement).
 */
export function recordsFromReference(): RecordSet {
  const axfr = referenceAxfr();
  const builder = new RecordSetBuilder();
  const maps: Array<[RecordType, Record<string, string[]>]> = [
    ["A", axfr.Records.As],
    ["AAAA", axfr.Records.AAAAs],
    ["SRV", axfr.Records.SRVs],
  ];
  for (const [type, map] of maps) {
    for (const [name, values] of Object.entries(map)) for (const v of values) builder.insert(type, name, v);
  }
  return builder.build(nullsToEmpty(referenceEnumerate()), []);
}

/** The enumeration with upstream's `null` lists as `[]`. */
export function nullsToEmpty(e: Enumeration): Enumeration {
  return {
    frameworks: (e.frameworks ?? []).map((f) => ({
      tasks: (f.tasks ?? []).map((t) => ({ name: t.name, id: t.id, records: t.records ?? [] })),
      name: f.name,
    })),
  };
}

/** Sorts every list in a JSON value (recursively), for order-insensitive comparison. */
export function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortedDeep).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sortedDeep(v)]));
  }
  return value;
}
