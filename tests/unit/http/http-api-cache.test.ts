import { describe, expect, test } from "bun:test";
import { goMarshalIndent } from "../../../src/core/http/_go-json.ts";
import { createHttpApi } from "../../../src/core/http/http-api.ts";
import { MetricsRegistry } from "../../../src/core/metrics/metrics.ts";
import { RecordSetBuilder } from "../../../src/core/records/record-set.ts";
import type { Snapshot } from "../../../src/core/records/snapshot.ts";
import { conformanceConfig } from "../../_http-fixture.ts";

function snapshot(serial: number, ip: string): Snapshot {
  const builder = new RecordSetBuilder();
  builder.insert("A", "leader.mesos.", ip);
  const records = builder.build({ frameworks: [{ name: `f${serial}`, tasks: [] }] }, []);
  return { records, serial, loadedAtMs: serial * 1000, leader: "", masters: [] };
}

/** An API whose serialiser counts its calls; `set` swaps the snapshot. */
function counted() {
  let current: Snapshot | undefined = snapshot(1700000000, "127.0.0.1");
  const calls: unknown[] = [];
  const handle = createHttpApi({
    config: conformanceConfig(),
    version: "v1",
    snapshot: () => current,
    metrics: new MetricsRegistry(),
    now: () => 0,
    serialise: (value) => {
      calls.push(value);
      return goMarshalIndent(value);
    },
  });
  return {
    calls,
    set: (s: Snapshot | undefined) => {
      current = s;
    },
    get: async (path: string) => (await handle(new Request(`http://127.0.0.1${path}`))).text(),
  };
}

describe("createHttpApi() serialises the big documents once per snapshot", () => {
  for (const path of ["/v1/enumerate", "/v1/axfr"]) {
    test(`${path} answers repeated requests with the identical body, serialised once`, async () => {
      const api = counted();
      const first = await api.get(path);
      const second = await api.get(path);
      expect(second).toBe(first);
      expect(api.calls).toHaveLength(1);
    });
    test(`${path} serialises again for a new snapshot`, async () => {
      const api = counted();
      const first = await api.get(path);
      api.set(snapshot(1700000060, "127.0.0.2"));
      const second = await api.get(path);
      expect(second).not.toBe(first);
      expect(api.calls).toHaveLength(2);
      await api.get(path);
      expect(api.calls).toHaveLength(2);
    });
  }
  test("/v1/enumerate and /v1/axfr of one snapshot are cached apart", async () => {
    const api = counted();
    const enumerate = await api.get("/v1/enumerate");
    const axfr = await api.get("/v1/axfr");
    expect(enumerate).not.toBe(axfr);
    expect(await api.get("/v1/enumerate")).toBe(enumerate);
    expect(await api.get("/v1/axfr")).toBe(axfr);
    expect(api.calls).toHaveLength(2);
  });
  test("lookups are not cached", async () => {
    const api = counted();
    await api.get("/v1/hosts/leader.mesos");
    await api.get("/v1/hosts/leader.mesos");
    expect(api.calls).toHaveLength(2);
  });
});
