import { describe, expect, test } from "bun:test";
import { CONFIG_KEYS, CONFIG_NAMES, defaultConfig, UPSTREAM_NAMES } from "../../../src/core/config/config.ts";
import { parseConfigText } from "../../../src/core/config/config-parse.ts";

describe("CONFIG_KEYS", () => {
  test("upstream's keys come first, then our additions", () => {
    const origins = CONFIG_NAMES.map((name) => CONFIG_KEYS[name].origin);
    const firstOurs = origins.indexOf("ours");
    expect(firstOurs).toBe(UPSTREAM_NAMES.length);
    expect(origins.slice(firstOurs).every((origin) => origin === "ours")).toBe(true);
    expect(CONFIG_NAMES.slice(firstOurs)).toEqual([
      "ForwardCacheSize",
      "ForwardCacheMaxTTL",
      "ForwardMaxInFlight",
      "StateMaxBytes",
      "ReadyMaxAgeSeconds",
      "EventStreamOn",
    ]);
  });
  test("every documented spelling is read as its key, without a warning", () => {
    for (const name of CONFIG_NAMES) {
      const { json, default: value } = CONFIG_KEYS[name];
      const result = parseConfigText(JSON.stringify({ [json]: value }), "config.json");
      if (!result.ok) throw new Error(`${json}: ${result.error.message}`);
      expect(result.warnings).toEqual([]);
      expect(result.config[name]).toEqual(value);
    }
  });
});

describe("defaultConfig()", () => {
  test("holds every key's default", () => {
    const config = defaultConfig();
    expect(Object.keys(config)).toEqual([...CONFIG_NAMES]);
    expect(config.Resolvers).toEqual(["8.8.8.8"]);
    expect(config.StateMaxBytes).toBe(268435456);
  });
  test("returns copies: changing one result changes neither the table nor the next result", () => {
    const first = defaultConfig();
    first.IPSources.push("docker");
    first.Resolvers?.push("1.1.1.1");
    first.ZoneResolvers["consul"] = ["10.0.0.9"];
    first.MesosCredentials.Secret = "s";
    const second = defaultConfig();
    expect(second.IPSources).toEqual(["netinfo", "mesos", "host"]);
    expect(second.Resolvers).toEqual(["8.8.8.8"]);
    expect(second.ZoneResolvers).toEqual({});
    expect(second.MesosCredentials).toEqual({ Principal: "", Secret: "" });
    expect(CONFIG_KEYS.IPSources.default).toEqual(["netinfo", "mesos", "host"]);
  });
});
