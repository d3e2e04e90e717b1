import { describe, expect, test } from "bun:test";
import { createHttpApi } from "../../../src/core/http/http-api.ts";
import { createAppMetrics } from "../../../src/core/metrics/app-metrics.ts";
import { MetricsRegistry } from "../../../src/core/metrics/metrics.ts";
import { RecordSetBuilder } from "../../../src/core/records/record-set.ts";
import type { Snapshot } from "../../../src/core/records/snapshot.ts";
import { conformanceConfig } from "../../_http-fixture.ts";
import { parseProm, sampleValue } from "../../_prom-parse.ts";

function setup() {
  const registry = new MetricsRegistry();
  let snapshot: Snapshot | undefined;
  let now = 0;
  const metrics = createAppMetrics(registry, { snapshot: () => snapshot, now: () => now });
  return {
    registry,
    metrics,
    scrape: () => parseProm(registry.expose()),
    load: (s: Snapshot) => {
      snapshot = s;
    },
    setNow: (ms: number) => {
      now = ms;
    },
  };
}

function snapshotOf(): Snapshot {
  const b = new RecordSetBuilder();
  b.insert("A", "a.mesos.", "10.0.0.1");
  b.insert("A", "a.mesos.", "10.0.0.2");
  b.insert("A", "b.mesos.", "10.0.0.3");
  b.insert("AAAA", "a.mesos.", "fd00::1");
  b.insert("SRV", "_a._tcp.mesos.", "a.mesos.:80");
  return {
    records: b.build({ frameworks: [] }, []),
    serial: 1700000000,
    loadedAtMs: 1_700_000_000_000,
    leader: "master@10.0.0.5:5050",
    masters: [],
  };
}

describe("createAppMetrics()", () => {
  test("dnsQuery() counts by zone, qtype and rcode, folding unknown qtypes and rcodes into OTHER", () => {
    const { metrics, scrape } = setup();
    metrics.dnsQuery("mesos", "A", "NOERROR");
    metrics.dnsQuery("mesos", "A", "NOERROR");
    metrics.dnsQuery("mesos", "SRV", "NXDOMAIN");
    metrics.dnsQuery("forwarded", "TYPE65534", "BADCOOKIE");
    metrics.dnsQuery("forwarded", "TYPE999", "YXDOMAIN");
    const f = scrape();
    const q = (zone: string, qtype: string, rcode: string) =>
      sampleValue(f, "mesos_dns_queries_total", { zone, qtype, rcode });
    expect(q("mesos", "A", "NOERROR")).toBe(2);
    expect(q("mesos", "SRV", "NXDOMAIN")).toBe(1);
    expect(q("forwarded", "OTHER", "OTHER")).toBe(2);
    expect(f.get("mesos_dns_queries_total")?.samples).toHaveLength(3);
  });

  test("forwardLatency() and forwardResult() are labelled by resolver", () => {
    const { metrics, scrape } = setup();
    metrics.forwardLatency("10.0.0.53:53", 0.004);
    metrics.forwardLatency("10.0.0.53:53", 0.3);
    metrics.forwardResult("10.0.0.53:53", "ok");
    metrics.forwardResult("10.0.0.53:53", "timeout");
    metrics.forwardResult("10.0.0.54:53", "spoofed");
    const f = scrape();
    const resolver = "10.0.0.53:53";
    expect(sampleValue(f, "mesos_dns_forward_duration_seconds_count", { resolver })).toBe(2);
    expect(sampleValue(f, "mesos_dns_forward_duration_seconds_bucket", { resolver, le: "0.005" })).toBe(1);
    expect(sampleValue(f, "mesos_dns_forward_duration_seconds_sum", { resolver })).toBeCloseTo(0.304);
    expect(sampleValue(f, "mesos_dns_forward_results_total", { resolver, outcome: "timeout" })).toBe(1);
    expect(sampleValue(f, "mesos_dns_forward_results_total", { resolver: "10.0.0.54:53" })).toBe(1);
  });

  test("cache, refresh, internal error, dropped packet and in-flight handles move their counters", () => {
    const { metrics, scrape } = setup();
    metrics.cacheHit();
    metrics.cacheHit();
    metrics.cacheMiss();
    metrics.refresh(true, 0.2);
    metrics.refresh(false, 5);
    metrics.refresh(false, 7);
    metrics.internalError("dns");
    metrics.droppedPacket("short header");
    metrics.droppedPacket("short header");
    metrics.inFlightRejected();
    const f = scrape();
    expect(sampleValue(f, "mesos_dns_forward_cache_total", { result: "hit" })).toBe(2);
    expect(sampleValue(f, "mesos_dns_forward_cache_total", { result: "miss" })).toBe(1);
    expect(sampleValue(f, "mesos_dns_state_refresh_total", { result: "ok" })).toBe(1);
    expect(sampleValue(f, "mesos_dns_state_refresh_total", { result: "error" })).toBe(2);
    expect(sampleValue(f, "mesos_dns_state_refresh_duration_seconds_sum", { result: "error" })).toBe(12);
    expect(sampleValue(f, "mesos_dns_internal_errors_total", { where: "dns" })).toBe(1);
    expect(sampleValue(f, "mesos_dns_dropped_packets_total", { reason: "short header" })).toBe(2);
    expect(sampleValue(f, "mesos_dns_forward_rejected_total")).toBe(1);
  });

  test("state gauges have no sample before the first load; mesos_dns_up is always 1", () => {
    const f = setup().scrape();
    for (const name of ["mesos_dns_records", "mesos_dns_state_age_seconds", "mesos_dns_state_serial"]) {
      expect([name, f.get(name)?.samples]).toEqual([name, []]);
    }
    expect(f.get("mesos_dns_leader_info")?.samples).toEqual([]);
    expect(sampleValue(f, "mesos_dns_up")).toBe(1);
  });

  test("state gauges read the current snapshot at scrape time", () => {
    const { scrape, load, setNow } = setup();
    const snapshot = snapshotOf();
    load(snapshot);
    setNow(snapshot.loadedAtMs + 12_500);
    let f = scrape();
    expect(sampleValue(f, "mesos_dns_records", { type: "A" })).toBe(3);
    expect(sampleValue(f, "mesos_dns_records", { type: "AAAA" })).toBe(1);
    expect(sampleValue(f, "mesos_dns_records", { type: "SRV" })).toBe(1);
    expect(sampleValue(f, "mesos_dns_state_age_seconds")).toBe(12.5);
    expect(sampleValue(f, "mesos_dns_state_serial")).toBe(1700000000);
    expect(sampleValue(f, "mesos_dns_leader_info", { leader: "master@10.0.0.5:5050" })).toBe(1);
    setNow(snapshot.loadedAtMs + 60_000);
    f = scrape();
    expect(sampleValue(f, "mesos_dns_state_age_seconds")).toBe(60);
  });

  test("GET /metrics shows the handles' counters moving between scrapes", async () => {
    const { registry, metrics, load } = setup();
    load(snapshotOf());
    const handle = createHttpApi({
      config: conformanceConfig(),
      version: "test",
      snapshot: () => undefined,
      metrics: registry,
      now: () => 0,
    });
    const scrape = async () =>
      parseProm(await (await handle(new Request("http://127.0.0.1/metrics"))).text());
    const before = await scrape();
    expect(before.get("mesos_dns_queries_total")?.samples).toEqual([]);
    metrics.dnsQuery("mesos", "AAAA", "NOERROR");
    metrics.refresh(true, 1);
    const after = await scrape();
    expect(sampleValue(after, "mesos_dns_queries_total", { zone: "mesos", qtype: "AAAA" })).toBe(1);
    expect(sampleValue(after, "mesos_dns_state_refresh_total", { result: "ok" })).toBe(1);
    expect(sampleValue(after, "mesos_dns_http_requests_total", { handler: "/metrics", code: "200" })).toBe(1);
    expect(sampleValue(after, "mesos_dns_up")).toBe(1);
  });
});
