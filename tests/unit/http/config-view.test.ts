import { describe, expect, test } from "bun:test";
import { defaultConfig } from "../../../src/core/config/config.ts";
import { configView, MASKED_SECRET } from "../../../src/core/http/config-view.ts";

// Upstream's order written out (docs/spec.md §8.2), not derived from CONFIG_KEYS: the table must match it.
const ORDER = [
  "RefreshSeconds",
  "Port",
  "Timeout",
  "StateTimeoutSeconds",
  "ZkDetectionTimeout",
  "HttpPort",
  "TTL",
  "SRVRecordDefaultWeight",
  "SOASerial",
  "SOARefresh",
  "SOARetry",
  "SOAExpire",
  "SOAMinttl",
  "SOAMname",
  "SOARname",
  "Masters",
  "ZoneResolvers",
  "Resolvers",
  "IPSources",
  "Zk",
  "Domain",
  "File",
  "Listener",
  "HTTPListener",
  "RecurseOn",
  "DnsOn",
  "HttpOn",
  "ExternalOn",
  "EnforceRFC952",
  "SetTruncateBit",
  "EnumerationOn",
  "MesosHTTPSOn",
  "CACertFile",
  "CertFile",
  "KeyFile",
  "MesosCredentials",
  "IAMConfigFile",
  "MesosAuthentication",
];

describe("configView()", () => {
  test("has exactly upstream's keys in docs/spec.md §8.2 order (no extension keys)", () => {
    expect(Object.keys(configView(defaultConfig()))).toEqual(ORDER);
  });
  test("shows unset Masters as null and serialises like upstream", () => {
    const json = JSON.stringify(configView(defaultConfig()));
    expect(json).toContain('"Masters":null,"ZoneResolvers":{},"Resolvers":["8.8.8.8"]');
    expect(json).toContain('"MesosCredentials":{"Principal":"","Secret":""}');
  });
  test("masks a non-empty secret, keeps the principal (docs/spec.md §10 #20)", () => {
    const c = { ...defaultConfig(), MesosCredentials: { Principal: "svc", Secret: "hunter2" } };
    const view = configView(c);
    expect(view["MesosCredentials"]).toEqual({ Principal: "svc", Secret: MASKED_SECRET });
    expect(JSON.stringify(view)).not.toContain("hunter2");
    expect(MASKED_SECRET).toBe("********");
  });
  test("masks the ZooKeeper password, keeping user, hosts and path", () => {
    for (const [zk, shown] of [
      ["zk://mesos:s3cretpw@10.0.0.1:2181/mesos", "zk://mesos:********@10.0.0.1:2181/mesos"],
      ["ZK://mesos:s3cret/pw@h:2181/mesos", "ZK://mesos:********@h:2181/mesos"],
      ["zk://h:2181/mesos", "zk://h:2181/mesos"],
    ] as const) {
      const view = configView({ ...defaultConfig(), Zk: zk });
      expect(view["Zk"]).toBe(shown);
      expect(JSON.stringify(view)).not.toContain("s3cret");
    }
  });
  test("a __proto__ zone is shown as a key, not turned into the prototype", () => {
    // JSON.parse makes `__proto__` an own key, as the config parser's zone map holds it.
    const zones = JSON.parse('{"__proto__": ["1.1.1.1"]}') as Record<string, string[]>;
    const view = configView({ ...defaultConfig(), ZoneResolvers: zones });
    expect(JSON.stringify(view["ZoneResolvers"])).toBe('{"__proto__":["1.1.1.1"]}');
  });
  test("shows values as configured, zone keys sorted", () => {
    const c = {
      ...defaultConfig(),
      Masters: ["[2001:0db8::1]:5050"],
      ZoneResolvers: { weave: ["1.1.1.1"], consul: ["2.2.2.2:8600"] },
      Resolvers: null,
      SOASerial: 1700000000,
    };
    const view = configView(c);
    expect(view["Masters"]).toEqual(["[2001:0db8::1]:5050"]);
    expect(Object.keys(view["ZoneResolvers"] as object)).toEqual(["consul", "weave"]);
    expect(view["Resolvers"]).toBeNull();
    expect(view["SOASerial"]).toBe(1700000000);
  });
  test("returns copies: changing the view does not change the config", () => {
    const c = { ...defaultConfig(), Masters: ["a:1"] };
    const view = configView(c);
    (view["Masters"] as string[]).push("b:2");
    (view["IPSources"] as string[]).length = 0;
    (view["ZoneResolvers"] as Record<string, string[]>)["x"] = [];
    expect(c.Masters).toEqual(["a:1"]);
    expect(c.IPSources).toEqual(["netinfo", "mesos", "host"]);
    expect(c.ZoneResolvers).toEqual({});
  });
});
