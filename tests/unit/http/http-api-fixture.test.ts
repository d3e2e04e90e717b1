/**
 * `createHttpApi()` against the conformance fixture (`../shared/fixtures/fake.json`) and the
 * reference bodies upstream returned for it (`../shared/conformance/http-*-fake.json`).
 */
import { describe, expect } from "bun:test";
import { createHttpApi } from "../../../src/core/http/http-api.ts";
import { hostnamesToResolve, parseState } from "../../../src/core/mesos/state.ts";
import { MetricsRegistry } from "../../../src/core/metrics/metrics.ts";
import type { RecordSet } from "../../../src/core/records/record-set.ts";
import { generateRecords } from "../../../src/core/records/records.ts";
import {
  conformanceConfig,
  nullsToEmpty,
  readShared,
  recordsFromReference,
  referenceAxfr,
  referenceEnumerate,
  sharedTest,
  sortedDeep,
} from "../../_http-fixture.ts";

const SERIAL = 1795628473;

function handlerFor(records: RecordSet) {
  const handle = createHttpApi({
    config: conformanceConfig(),
    version: "test",
    snapshot: () => ({
      records,
      serial: SERIAL,
      loadedAtMs: 0,
      leader: "master@127.0.0.1:5050",
      masters: [],
    }),
    metrics: new MetricsRegistry(),
    now: () => 0,
  });
  return async (path: string) => {
    const res = await handle(new Request(`http://127.0.0.1:8123${path}`));
    expect([path, res.status, res.headers.get("content-type")]).toEqual([path, 200, "application/json"]);
    return res.text();
  };
}

/** The fixture as the conformance setup serves it: leader and pid rewritten to 127.0.0.1:5050. */
function generatedRecords(): RecordSet {
  const doc = readShared("fixtures/fake.json") as Record<string, unknown>;
  const { state } = parseState({ ...doc, leader: "master@127.0.0.1:5050", pid: "master@127.0.0.1:5050" });
  const config = conformanceConfig();
  const masters = ["127.0.0.1:5050"];
  const resolved = new Map<string, string[]>();
  for (const host of hostnamesToResolve(state, { masters, listener: config.Listener })) {
    // The README's setup relies on localhost resolving to 127.0.0.1; nothing else resolves.
    if (host === "localhost") resolved.set(host, ["127.0.0.1"]);
  }
  return generateRecords({ state, config, masters, resolved, localAddresses: [] });
}

const encoded = (name: string) => encodeURIComponent(name.slice(0, -1));

describe("createHttpApi() with the fake.json fixture", () => {
  sharedTest("/v1/enumerate equals the reference body as a JSON value (null lists as [])", async () => {
    const get = handlerFor(generatedRecords());
    const body = JSON.parse(await get("/v1/enumerate"));
    expect(sortedDeep(body)).toEqual(sortedDeep(nullsToEmpty(referenceEnumerate())));
  });

  sharedTest("/v1/axfr equals the reference body as a JSON value, Serial being the state's", async () => {
    const get = handlerFor(generatedRecords());
    const text = await get("/v1/axfr");
    const body = JSON.parse(text);
    expect(sortedDeep(body)).toEqual(sortedDeep({ ...referenceAxfr(), Serial: SERIAL }));
    expect(
      text.startsWith(`{\n  "TTL": 60,\n  "Serial": ${SERIAL},\n  "RefreshSeconds": 5,\n  "Mname"`),
    ).toBe(true);
    expect(Object.keys(body)).toEqual([
      "TTL",
      "Serial",
      "RefreshSeconds",
      "Mname",
      "Rname",
      "Domain",
      "Records",
    ]);
    expect(Object.keys(body.Records)).toEqual(["As", "AAAAs", "SRVs"]);
  });

  sharedTest(
    "/v1/enumerate keeps upstream's key order: tasks before name, name/id/records, name/host/rtype",
    async () => {
      const body = JSON.parse(await handlerFor(recordsFromReference())("/v1/enumerate"));
      const framework = body.frameworks.find((f: { tasks: unknown[] }) => f.tasks.length > 0);
      expect(Object.keys(framework)).toEqual(["tasks", "name"]);
      expect(Object.keys(framework.tasks[0])).toEqual(["name", "id", "records"]);
      expect(Object.keys(framework.tasks[0].records[0])).toEqual(["name", "host", "rtype"]);
      const empty = body.frameworks.find((f: { name: string }) => f.name === "no pid");
      expect(empty).toEqual({ tasks: [], name: "no pid" });
    },
  );

  sharedTest(
    "/v1/hosts/{host} lists every A value, then every AAAA value, for every name of the fixture",
    async () => {
      const get = handlerFor(recordsFromReference());
      const { As, AAAAs } = referenceAxfr().Records;
      const names = new Set([...Object.keys(As), ...Object.keys(AAAAs)]);
      expect(names.size).toBeGreaterThan(50);
      for (const name of names) {
        const body = JSON.parse(await get(`/v1/hosts/${encoded(name)}`)) as Array<{
          host: string;
          ip: string;
        }>;
        const a = As[name] ?? [];
        expect(
          body
            .slice(0, a.length)
            .map((e) => e.ip)
            .sort(),
        ).toEqual([...a].sort());
        expect(
          body
            .slice(a.length)
            .map((e) => e.ip)
            .sort(),
        ).toEqual([...(AAAAs[name] ?? [])].sort());
        expect(body.every((e) => e.host === name)).toBe(true);
      }
    },
  );

  sharedTest(
    "/v1/services/{service} gives one entry per SRV target address family, ports as strings",
    async () => {
      const get = handlerFor(recordsFromReference());
      const { As, AAAAs, SRVs } = referenceAxfr().Records;
      for (const [name, values] of Object.entries(SRVs)) {
        const service = name.slice(0, -1);
        const body = JSON.parse(await get(`/v1/services/${encodeURIComponent(service)}`));
        const expected: Array<{ service: string; host: string; family: string; port: string }> = [];
        for (const value of values) {
          const colon = value.lastIndexOf(":");
          const [host, port] = [value.slice(0, colon), value.slice(colon + 1)];
          if (As[host]) expected.push({ service, host, family: "A", port });
          if (AAAAs[host]) expected.push({ service, host, family: "AAAA", port });
        }
        if (expected.length === 0) expected.push({ service: "", host: "", family: "", port: "" });
        const got = body.map((e: { service: string; host: string; ip: string; port: string }) => {
          const family = e.ip === "" ? "" : e.ip.includes(":") ? "AAAA" : "A";
          const ips = family === "A" ? As[e.host] : family === "AAAA" ? AAAAs[e.host] : [""];
          expect([name, ips?.includes(e.ip)]).toEqual([name, true]);
          return { service: e.service, host: e.host, family, port: e.port };
        });
        expect(sortedDeep(got)).toEqual(sortedDeep(expected));
      }
    },
  );

  sharedTest("/v1/services/_leader._tcp.mesos is the docs/spec.md §8.2 example", async () => {
    const body = await handlerFor(recordsFromReference())("/v1/services/_leader._tcp.mesos");
    expect(JSON.parse(body)).toEqual([
      { service: "_leader._tcp.mesos", host: "leader.mesos.", ip: "127.0.0.1", port: "5050" },
    ]);
  });
});
