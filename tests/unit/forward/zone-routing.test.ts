import { describe, expect, test } from "bun:test";
import { defaultConfig } from "../../../src/core/config/config.ts";
import { QTYPE } from "../../../src/core/dns/codec.ts";
import { createZoneRouting, parseUpstream } from "../../../src/core/forward/zone-routing.ts";

function routing(overrides: Partial<ReturnType<typeof defaultConfig>>) {
  const warnings: string[] = [];
  const r = createZoneRouting({ ...defaultConfig(), ...overrides }, (m) => warnings.push(m));
  const labels = (name: string, qtype: number = QTYPE.A) => r.route(name, qtype).map((u) => u.label);
  return { r, labels, warnings };
}

describe("parseUpstream()", () => {
  test("parseUpstream() adds port 53 to an address without one", () => {
    expect(parseUpstream("8.8.8.8")).toEqual({
      address: "8.8.8.8",
      port: 53,
      family: 4,
      label: "8.8.8.8:53",
    });
    expect(parseUpstream("2001:DB8::1")?.label).toBe("[2001:db8::1]:53");
    expect(parseUpstream("[::1]")?.label).toBe("[::1]:53");
  });
  test("parseUpstream() reads an explicit port, IPv6 bracketed", () => {
    expect(parseUpstream("127.0.0.1:5353")?.port).toBe(5353);
    expect(parseUpstream("[::1]:5353")).toEqual({
      address: "::1",
      port: 5353,
      family: 6,
      label: "[::1]:5353",
    });
  });
  test("parseUpstream() rejects hostnames, bad ports and junk", () => {
    for (const bad of [
      "dns.google",
      "dns.google:53",
      "1.2.3.4:0",
      "1.2.3.4:99999",
      "1.2.3.4:x",
      "[::1",
      "",
    ]) {
      expect(parseUpstream(bad)).toBeUndefined();
    }
  });
});

describe("createZoneRouting()", () => {
  test("createZoneRouting() sends names outside every zone to the default resolvers in order", () => {
    const { labels } = routing({ Resolvers: ["10.0.0.1", "10.0.0.2:5353"] });
    expect(labels("google.com")).toEqual(["10.0.0.1:53", "10.0.0.2:5353"]);
    expect(labels("")).toEqual(["10.0.0.1:53", "10.0.0.2:5353"]);
  });

  test("createZoneRouting() picks the longest matching zone, case-insensitively", () => {
    const { labels } = routing({
      Resolvers: ["10.0.0.1"],
      ZoneResolvers: { "Corp.Example": ["10.1.0.1"], "dev.corp.example.": ["10.2.0.1"] },
    });
    expect(labels("corp.example")).toEqual(["10.1.0.1:53"]);
    expect(labels("a.corp.example")).toEqual(["10.1.0.1:53"]);
    expect(labels("x.dev.corp.example")).toEqual(["10.2.0.1:53"]);
    expect(labels("xcorp.example")).toEqual(["10.0.0.1:53"]);
  });

  test("createZoneRouting() sends DS queries to the default resolvers even inside a zone", () => {
    const { labels } = routing({ Resolvers: ["10.0.0.1"], ZoneResolvers: { corp: ["10.1.0.1"] } });
    expect(labels("a.corp", QTYPE.DS)).toEqual(["10.0.0.1:53"]);
  });

  test("createZoneRouting() never falls back from a zone to the defaults", () => {
    const { labels } = routing({ Resolvers: ["10.0.0.1"], ZoneResolvers: { corp: ["bad-host"] } });
    expect(labels("a.corp")).toEqual([]);
  });

  test("createZoneRouting() routes nothing when ExternalOn is false", () => {
    const { labels, r } = routing({
      ExternalOn: false,
      Resolvers: ["10.0.0.1"],
      ZoneResolvers: { corp: ["10.1.0.1"] },
    });
    expect(labels("google.com")).toEqual([]);
    expect(labels("a.corp")).toEqual([]);
    expect(r.all).toEqual([]);
  });

  test("createZoneRouting() skips an unparsable address with one warning naming it", () => {
    const { labels, warnings } = routing({ Resolvers: ["resolver.local", "10.0.0.1"] });
    expect(labels("google.com")).toEqual(["10.0.0.1:53"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"resolver.local"');
    expect(warnings[0]).toContain("resolvers");
  });

  test("createZoneRouting() treats a null resolver list as empty", () => {
    expect(routing({ Resolvers: null }).labels("google.com")).toEqual([]);
  });

  test("createZoneRouting() lists each distinct resolver once in all", () => {
    const { r } = routing({ Resolvers: ["10.0.0.1", "10.0.0.1:53"], ZoneResolvers: { corp: ["10.0.0.1"] } });
    expect(r.all.map((u) => u.label)).toEqual(["10.0.0.1:53"]);
  });
});
