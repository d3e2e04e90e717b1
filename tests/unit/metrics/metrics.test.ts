import { describe, expect, test } from "bun:test";
import { MetricsRegistry } from "../../../src/core/metrics/metrics.ts";
import { parseProm, sampleValue } from "../../_prom-parse.ts";

describe("MetricsRegistry", () => {
  test("expose() of an empty registry is the empty string", () => {
    expect(new MetricsRegistry().expose()).toBe("");
  });

  test("expose() writes HELP and TYPE lines and an unlabelled counter at 0 before any update", () => {
    const registry = new MetricsRegistry();
    registry.counter("app_events_total", "Events seen.");
    expect(registry.expose()).toBe(
      "# HELP app_events_total Events seen.\n# TYPE app_events_total counter\napp_events_total 0\n",
    );
  });

  test("counter inc() adds 1 by default and n when given, per label set", () => {
    const registry = new MetricsRegistry();
    const c = registry.counter("q_total", "Queries.", ["zone", "rcode"]);
    c.inc({ zone: "mesos", rcode: "NOERROR" });
    c.inc({ zone: "mesos", rcode: "NOERROR" }, 4);
    c.inc({ rcode: "NXDOMAIN", zone: "mesos" });
    const families = parseProm(registry.expose());
    expect(sampleValue(families, "q_total", { zone: "mesos", rcode: "NOERROR" })).toBe(5);
    expect(sampleValue(families, "q_total", { zone: "mesos", rcode: "NXDOMAIN" })).toBe(1);
    expect(families.get("q_total")?.samples).toHaveLength(2);
  });

  test("counter labels() returns the same cached child for the same values", () => {
    const c = new MetricsRegistry().counter("c_total", "C.", ["a"]);
    const child = c.labels({ a: "x" });
    expect(c.labels({ a: "x" })).toBe(child);
    expect(c.labels({ a: "y" })).not.toBe(child);
  });

  test("counter ignores negative steps instead of going down", () => {
    const registry = new MetricsRegistry();
    const c = registry.counter("c_total", "C.");
    c.inc(undefined, 3);
    c.inc(undefined, -2);
    expect(sampleValue(parseProm(registry.expose()), "c_total")).toBe(3);
  });

  test("a labelled metric throws on missing or unexpected labels", () => {
    const c = new MetricsRegistry().counter("c_total", "C.", ["a"]);
    expect(() => c.inc({})).toThrow('missing label "a"');
    expect(() => c.inc({ a: "1", b: "2" })).toThrow("unexpected labels");
    expect(() => c.inc()).toThrow("needs labels");
  });

  test("registration throws on invalid or duplicate names", () => {
    const registry = new MetricsRegistry();
    registry.gauge("g", "G.");
    expect(() => registry.gauge("g", "again")).toThrow("already registered");
    expect(() => registry.counter("1bad", "B.")).toThrow("Invalid metric name");
    expect(() => registry.counter("ok", "B.", ["__reserved"])).toThrow("Invalid label name");
    expect(() => registry.histogram("h", "H.", [1], ["le"])).toThrow("Invalid label name");
  });

  test("gauge set(), inc() and dec() move the value both ways", () => {
    const registry = new MetricsRegistry();
    const g = registry.gauge("inflight", "In flight.", ["kind"]);
    g.set({ kind: "udp" }, 10);
    g.inc({ kind: "udp" });
    g.dec({ kind: "udp" }, 3);
    const child = g.labels({ kind: "tcp" });
    child.set(2);
    child.dec();
    const families = parseProm(registry.expose());
    expect(sampleValue(families, "inflight", { kind: "udp" })).toBe(8);
    expect(sampleValue(families, "inflight", { kind: "tcp" })).toBe(1);
    expect(families.get("inflight")?.type).toBe("gauge");
  });

  test("histogram exposes cumulative _bucket{le} lines, +Inf, _sum and _count", () => {
    const registry = new MetricsRegistry();
    const h = registry.histogram("lat_seconds", "Latency.", [0.5, 0.1, 1]);
    for (const v of [0.05, 0.1, 0.3, 2]) h.observe(undefined, v);
    expect(registry.expose()).toBe(
      [
        "# HELP lat_seconds Latency.",
        "# TYPE lat_seconds histogram",
        'lat_seconds_bucket{le="0.1"} 2',
        'lat_seconds_bucket{le="0.5"} 3',
        'lat_seconds_bucket{le="1"} 3',
        'lat_seconds_bucket{le="+Inf"} 4',
        "lat_seconds_sum 2.45",
        "lat_seconds_count 4",
        "",
      ].join("\n"),
    );
  });

  test("labelled histogram children put le after the other labels and are parsed as valid", () => {
    const registry = new MetricsRegistry();
    const h = registry.histogram("fwd_seconds", "Forward.", [0.01, 1], ["resolver"]);
    h.labels({ resolver: "10.0.0.1:53" }).observe(0.5);
    h.observe({ resolver: "10.0.0.2:53" }, 5);
    const families = parseProm(registry.expose());
    expect(sampleValue(families, "fwd_seconds_bucket", { resolver: "10.0.0.1:53", le: "1" })).toBe(1);
    expect(sampleValue(families, "fwd_seconds_bucket", { resolver: "10.0.0.2:53", le: "1" })).toBe(0);
    expect(sampleValue(families, "fwd_seconds_count", { resolver: "10.0.0.2:53" })).toBe(1);
    expect(registry.expose()).toContain('fwd_seconds_bucket{resolver="10.0.0.1:53",le="0.01"} 0\n');
  });

  test("histogram rejects duplicate or NaN buckets", () => {
    const registry = new MetricsRegistry();
    expect(() => registry.histogram("h1", "H.", [1, 1])).toThrow("Invalid buckets");
    expect(() => registry.histogram("h2", "H.", [Number.NaN])).toThrow("Invalid buckets");
  });

  test("label values escape backslash, double quote and newline; HELP escapes backslash and newline", () => {
    const registry = new MetricsRegistry();
    registry.counter("odd_total", 'Help with \\ and\nnewline and "quotes".', ["v"]).inc({ v: 'a\\b"c\nd' });
    const text = registry.expose();
    expect(text).toContain('# HELP odd_total Help with \\\\ and\\nnewline and "quotes".\n');
    expect(text).toContain('odd_total{v="a\\\\b\\"c\\nd"} 1\n');
    const families = parseProm(text);
    expect(families.get("odd_total")?.help).toBe('Help with \\ and\nnewline and "quotes".');
    expect(sampleValue(families, "odd_total", { v: 'a\\b"c\nd' })).toBe(1);
  });

  test("gaugeFn() is computed at every scrape, as a number or as labelled samples", () => {
    const registry = new MetricsRegistry();
    let age = 1;
    registry.gaugeFn("state_age_seconds", "Age.", () => age);
    registry.gaugeFn("records", "Records.", () => [
      { labels: { type: "A" }, value: 3 },
      { labels: { type: "SRV" }, value: 7 },
    ]);
    expect(sampleValue(parseProm(registry.expose()), "state_age_seconds")).toBe(1);
    age = 42.5;
    const families = parseProm(registry.expose());
    expect(sampleValue(families, "state_age_seconds")).toBe(42.5);
    expect(sampleValue(families, "records", { type: "SRV" })).toBe(7);
  });

  test("a throwing gaugeFn leaves out its samples but not the rest of the scrape", () => {
    const registry = new MetricsRegistry();
    registry.gaugeFn("broken", "Broken.", () => {
      throw new Error("boom");
    });
    registry.counter("fine_total", "Fine.").inc();
    const families = parseProm(registry.expose());
    expect(families.get("broken")?.samples).toEqual([]);
    expect(sampleValue(families, "fine_total")).toBe(1);
  });

  test("special values are written as +Inf, -Inf and NaN", () => {
    const registry = new MetricsRegistry();
    const g = registry.gauge("g", "G.", ["k"]);
    g.set({ k: "p" }, Number.POSITIVE_INFINITY);
    g.set({ k: "n" }, Number.NEGATIVE_INFINITY);
    g.set({ k: "x" }, Number.NaN);
    const text = registry.expose();
    expect(text).toContain('g{k="p"} +Inf\ng{k="n"} -Inf\ng{k="x"} NaN\n');
    expect(Number.isNaN(sampleValue(parseProm(text), "g", { k: "x" }))).toBe(true);
  });

  test("families are exposed in registration order", () => {
    const registry = new MetricsRegistry();
    registry.gauge("zeta", "Z.");
    registry.counter("alpha_total", "A.");
    expect([...parseProm(registry.expose()).keys()]).toEqual(["zeta", "alpha_total"]);
  });
});

describe("parseProm (test helper)", () => {
  test("rejects a sample that has no HELP/TYPE, a bad escape and a duplicate series", () => {
    expect(() => parseProm("x 1\n")).toThrow("without HELP/TYPE");
    expect(() => parseProm('# TYPE x gauge\nx{a="\\q"} 1\n')).toThrow("bad escape");
    expect(() => parseProm("# TYPE x gauge\nx 1\nx 2\n")).toThrow("duplicate series");
    expect(() => parseProm('# TYPE h histogram\nh_bucket{le="1"} 2\nh_count 2\n')).toThrow("+Inf");
  });
});
