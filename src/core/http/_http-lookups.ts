/**
 * The bodies of `/v1/hosts/{host}`, `/v1/services/{service}` and `/v1/enumerate`
 * (docs/spec.md §8.2) as plain values, with keys in upstream's order, ready for `goMarshalIndent`.
 *
 * @module
 */
import type { Enumeration, RecordSet } from "../records/record-set.ts";
import { splitSrvValue } from "../records/record-set.ts";

/** One `/v1/hosts` entry. */
export interface HostEntry {
  host: string;
  ip: string;
}

/** One `/v1/services` entry; `port` is a string, as upstream sends it. */
export interface ServiceEntry {
  service: string;
  host: string;
  ip: string;
  port: string;
}

/** What a lookup found, for the statistics of docs/spec.md §7.3. */
export interface LookupResult<T> {
  readonly body: T[];
  /** The normalised name ("" when nothing was left after normalising). */
  readonly name: string;
  readonly found: boolean;
}

/**
 * docs/spec.md §8.2: delete every `.*`, lower-case, append a dot when missing. An empty result
 * stays empty (upstream indexed past the end of it and answered 500, docs/spec.md §10 #39).
 */
export function normaliseHttpName(raw: string): string {
  const name = raw.replaceAll(".*", "").toLowerCase();
  if (name === "" || name.endsWith(".")) return name;
  return name + ".";
}

/** True when `name` (normalised) is the domain `domain` or below it. */
export function inDomain(name: string, domain: string): boolean {
  const apex = domain.toLowerCase() + ".";
  return name === apex || name.endsWith("." + apex);
}

/** `/v1/hosts/{host}`: every A value, then every AAAA value; the placeholder when none. */
export function lookupHosts(records: RecordSet | undefined, raw: string): LookupResult<HostEntry> {
  const name = normaliseHttpName(raw);
  const body: HostEntry[] = [];
  if (records !== undefined && name !== "") {
    for (const ip of records.a.get(name) ?? []) body.push({ host: name, ip });
    for (const ip of records.aaaa.get(name) ?? []) body.push({ host: name, ip });
  }
  const found = body.length > 0;
  return { body: found ? body : [{ host: "", ip: "" }], name, found };
}

/**
 * `/v1/services/{service}`: per SRV value whose target has addresses, one entry with an
 * A value and one with an AAAA value; `service` echoes the path segment as given.
 * `found` means the name has SRV values, as upstream's statistics count it.
 */
export function lookupServices(records: RecordSet | undefined, raw: string): LookupResult<ServiceEntry> {
  const name = normaliseHttpName(raw);
  const body: ServiceEntry[] = [];
  const values = records === undefined || name === "" ? [] : (records.srv.get(name) ?? []);
  for (const value of values) {
    const srv = splitSrvValue(value);
    if (srv === undefined || records === undefined) continue;
    const port = String(srv.port);
    const a = records.a.get(srv.target)?.[0];
    if (a !== undefined) body.push({ service: raw, host: srv.target, ip: a, port });
    const aaaa = records.aaaa.get(srv.target)?.[0];
    if (aaaa !== undefined) body.push({ service: raw, host: srv.target, ip: aaaa, port });
  }
  return {
    body: body.length > 0 ? body : [{ service: "", host: "", ip: "", port: "" }],
    name,
    found: values.length > 0,
  };
}

/**
 * `/v1/enumerate` with keys in upstream's order. Empty lists stay `[]` where upstream
 * wrote `null` (docs/spec.md §10 #30, a safe improvement); no state yet gives `{"frameworks": []}`.
 */
export function enumerationBody(records: RecordSet | undefined): Enumeration {
  const frameworks = records?.enumeration.frameworks ?? [];
  return {
    frameworks: frameworks.map((framework) => ({
      tasks: (framework.tasks ?? []).map((task) => ({
        name: task.name,
        id: task.id,
        records: (task.records ?? []).map((r) => ({ name: r.name, host: r.host, rtype: r.rtype })),
      })),
      name: framework.name,
    })),
  };
}
