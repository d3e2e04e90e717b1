import { describe, expect, test } from "bun:test";
import { defaultConfig } from "../../../src/core/config/config.ts";
import { type ConfigResult, parseConfigText } from "../../../src/core/config/config-parse.ts";

const FILE = "config.json";

function ok(text: string) {
  const r = parseConfigText(text, FILE);
  if (!r.ok) throw new Error(`expected success, got: ${r.error.message}`);
  return r;
}

function err(text: string) {
  const r: ConfigResult = parseConfigText(text, FILE);
  if (r.ok) throw new Error("expected an error");
  return r.error;
}

describe("parseConfigText() document shape", () => {
  test("an empty object gives the defaults", () => {
    expect(ok("{}").config).toEqual(defaultConfig());
  });
  test("rejects trailing commas (strict JSON), naming the file, line and column", () => {
    const e = err('{"port": 53,}');
    expect(e.file).toBe(FILE);
    expect(e.message).toBe('config.json:1:13: invalid JSON: unexpected "}"');
  });
  test("a syntax error names its line and column on every runtime", () => {
    expect(err('{\n  "port": 53,\n  "domain": "mesos",\n  }\n').message).toBe(
      'config.json:4:3: invalid JSON: unexpected "}"',
    );
    expect(err('{"masters": ["a:1" "b:2"]}').message).toBe(
      'config.json:1:20: invalid JSON: unexpected "\\""',
    );
    expect(err('{"port": 53').message).toBe("config.json:1:12: invalid JSON: unexpected end of input");
    expect(err('{"port": 0x10}').message).toBe('config.json:1:11: invalid JSON: unexpected "x"');
    expect(err('{"port": 01}').message).toBe('config.json:1:11: invalid JSON: unexpected "1"');
    expect(err('{"port": tru}').message).toBe('config.json:1:13: invalid JSON: unexpected "}"');
    expect(err('{"zk": "a\tb"}').message).toBe('config.json:1:10: invalid JSON: unexpected "\\t"');
    expect(err('{"zk": "\\q"}').message).toBe('config.json:1:10: invalid JSON: unexpected "q"');
    expect(err("{} {}").message).toBe('config.json:1:4: invalid JSON: unexpected "{"');
    expect(err("").message).toBe("config.json:1:1: invalid JSON: unexpected end of input");
  });
  test("columns count characters after a byte order mark and a CRLF", () => {
    expect(err('\uFEFF{\r\n"port": 53,\r\n}').message).toBe('config.json:3:1: invalid JSON: unexpected "}"');
  });
  test("rejects comments", () => {
    expect(err('{"port": 53 // dns\n}').message).toBe('config.json:1:13: invalid JSON: unexpected "/"');
  });
  test("rejects a top-level array, null, string or number", () => {
    for (const text of ["[]", "null", '"x"', "5"]) {
      expect(err(text).message).toContain("expected a JSON object");
    }
  });
  test("tolerates a UTF-8 byte order mark", () => {
    expect(ok('\uFEFF{"port": 54}').config.Port).toBe(54);
  });
  test("error messages are a single line", () => {
    expect(err('{\n"port":\n"53"\n}').message).not.toContain("\n");
    expect(err('{\n"port":\n53,\n}').message).not.toContain("\n");
  });
});

describe("parseConfigText() keys", () => {
  test("matches keys case-insensitively", () => {
    for (const key of ["masters", "Masters", "MASTERS", "mAsTeRs"]) {
      expect(ok(`{"${key}": ["a:1"]}`).config.Masters).toEqual(["a:1"]);
    }
  });
  test("the later of two duplicate keys wins, even with different case", () => {
    expect(ok('{"port": 1, "Port": 2}').config.Port).toBe(2);
    expect(ok('{"port": 1, "Port": 2, "port": 3}').config.Port).toBe(3);
  });
  test("unknown keys give a warning naming file and key, not a failure", () => {
    const r = ok('{"email": "root@mesos", "ns": "x", "mname": "y", "port": 54}');
    expect(r.warnings).toEqual([
      'config.json: unknown key "email" ignored',
      'config.json: unknown key "ns" ignored',
      'config.json: unknown key "mname" ignored',
    ]);
    expect(r.config.Port).toBe(54);
  });
  test("key matching is ASCII only (no Unicode case folding)", () => {
    expect(ok('{"maſters": ["a:1"]}').warnings).toHaveLength(1);
  });
  test("accepts the extension keys case-insensitively", () => {
    const c = ok(
      '{"forwardCacheSize": 5, "FORWARDCACHEMAXTTL": 9, "forwardMaxInFlight": 3, "stateMaxBytes": 2048, "readyMaxAgeSeconds": 7}',
    ).config;
    expect([c.ForwardCacheSize, c.ForwardCacheMaxTTL, c.ForwardMaxInFlight, c.StateMaxBytes]).toEqual([
      5, 9, 3, 2048,
    ]);
    expect(c.ReadyMaxAgeSeconds).toBe(7);
  });
  test("reads every documented spelling of the upstream keys", () => {
    const c = ok(`{
      "refreshSeconds": 30, "port": 5353, "timeout": 3, "stateTimeoutSeconds": 10, "zkDetectionTimeout": 0,
      "httpport": 8080, "ttl": 20, "srvRecordDefaultWeight": 5, "SOARefresh": 1, "SOARetry": 2, "SOAExpire": 3,
      "SOAMinttl": 4, "SOAMname": "ns.x", "SOARname": "admin@x", "masters": ["a:1"], "zk": "zk://h:2181/mesos",
      "domain": "X", "listener": "127.0.0.1", "httplistener": "::1", "recurseon": false, "dnson": false,
      "httpon": true, "externalon": false, "enforceRFC952": true, "SetTruncateBit": false, "EnumerationOn": false,
      "mesosHTTPSOn": true, "caCertFile": "ca", "certFile": "c", "keyFile": "k", "IAMConfigFile": "i",
      "mesosAuthentication": "basic", "IPSources": ["host"], "resolvers": ["1.1.1.1"]
    }`).config;
    expect(c).toMatchObject({
      RefreshSeconds: 30,
      Port: 5353,
      Timeout: 3,
      StateTimeoutSeconds: 10,
      ZkDetectionTimeout: 0,
      HttpPort: 8080,
      TTL: 20,
      SRVRecordDefaultWeight: 5,
      SOARefresh: 1,
      SOARetry: 2,
      SOAExpire: 3,
      SOAMinttl: 4,
      SOAMname: "ns.x.",
      SOARname: "admin.x.",
      Masters: ["a:1"],
      Zk: "zk://h:2181/mesos",
      Domain: "x",
      Listener: "127.0.0.1",
      HTTPListener: "::1",
      RecurseOn: false,
      DnsOn: false,
      HttpOn: true,
      ExternalOn: false,
      EnforceRFC952: true,
      SetTruncateBit: false,
      EnumerationOn: false,
      MesosHTTPSOn: true,
      CACertFile: "ca",
      CertFile: "c",
      KeyFile: "k",
      IAMConfigFile: "i",
      MesosAuthentication: "basic",
      IPSources: ["host"],
      Resolvers: ["1.1.1.1"],
    });
  });
});

describe("parseConfigText() value types", () => {
  test("a string for an integer names file, key as written, value and expectation", () => {
    const e = err('{"port": "53"}');
    expect(e.message).toBe('config.json: key "port": expected an integer 0..65535, got "53"');
    expect(e.key).toBe("port");
    expect(e.value).toBe('"53"');
    expect(e.expected).toBe("an integer 0..65535");
  });
  test("integer fields reject fractions", () => {
    expect(err('{"refreshSeconds": 1.5}').message).toBe(
      'config.json: key "refreshSeconds": expected an integer, got 1.5',
    );
  });
  test("unsigned fields reject negatives", () => {
    expect(err('{"SOARetry": -1}').message).toContain("expected an integer 0..4294967295, got -1");
  });
  test("uint32 fields reject 2^32", () => {
    err('{"SOAExpire": 4294967296}');
    expect(ok('{"SOAExpire": 4294967295}').config.SOAExpire).toBe(4294967295);
  });
  test("16-bit fields reject values above 65535", () => {
    expect(err('{"srvRecordDefaultWeight": 65536}').message).toContain("expected an integer 0..65535");
    expect(ok('{"srvRecordDefaultWeight": 65535}').config.SRVRecordDefaultWeight).toBe(65535);
  });
  test("ttl is a 32-bit signed integer", () => {
    err('{"ttl": 2147483648}');
    expect(ok('{"ttl": -1}').config.TTL).toBe(-1);
  });
  test("booleans reject strings and numbers", () => {
    expect(err('{"dnson": "true"}').message).toBe(
      'config.json: key "dnson": expected true or false, got "true"',
    );
    err('{"httpon": 1}');
  });
  test("strings reject numbers", () => {
    expect(err('{"domain": 5}').message).toBe('config.json: key "domain": expected a string, got 5');
  });
  test("lists reject a bare string and non-string members", () => {
    expect(err('{"masters": "a:1"}').message).toBe(
      'config.json: key "masters": expected a list of strings, got "a:1"',
    );
    err('{"resolvers": [1]}');
    err('{"IPSources": ["host", null]}');
  });
  test("long bad values are shortened in the message", () => {
    const e = err(`{"port": "${"x".repeat(200)}"}`);
    expect(e.message.length).toBeLessThan(160);
  });
});

describe("parseConfigText() null", () => {
  test("null for a scalar keeps the default", () => {
    expect(ok('{"port": null, "domain": null, "dnson": null}').config).toEqual(defaultConfig());
  });
  test("null for a scalar keeps an earlier value", () => {
    expect(ok('{"port": 54, "PORT": null}').config.Port).toBe(54);
  });
  test("null for a list empties it", () => {
    const c = ok('{"resolvers": null, "masters": null, "IPSources": null}').config;
    expect(c.Resolvers).toBeNull();
    expect(c.Masters).toBeNull();
    expect(c.IPSources).toEqual([]);
  });
  test("null for mesosCredentials keeps the current value", () => {
    const c = ok('{"mesosCredentials": {"principal": "p"}, "MesosCredentials": null}').config;
    expect(c.MesosCredentials).toEqual({ Principal: "p", Secret: "" });
  });
  test("null for zoneResolvers empties it", () => {
    expect(ok('{"zoneResolvers": {"a": ["1.1.1.1"]}, "zoneresolvers": null}').config.ZoneResolvers).toEqual(
      {},
    );
  });
  test("Masters stays null when absent, [] when given empty", () => {
    expect(ok("{}").config.Masters).toBeNull();
    expect(ok('{"masters": []}').config.Masters).toEqual([]);
  });
});

describe("parseConfigText() merged objects", () => {
  test("mesosCredentials keys are case-insensitive", () => {
    const c = ok('{"mesosCredentials": {"PRINCIPAL": "p", "Secret": "s"}}').config;
    expect(c.MesosCredentials).toEqual({ Principal: "p", Secret: "s" });
  });
  test("mesosCredentials given twice merge field by field", () => {
    const c = ok('{"mesosCredentials": {"principal": "p"}, "mesoscredentials": {"secret": "s"}}').config;
    expect(c.MesosCredentials).toEqual({ Principal: "p", Secret: "s" });
  });
  test("the later duplicate credential key wins", () => {
    const c = ok('{"mesosCredentials": {"principal": "a", "Principal": "b", "principal": "c"}}').config;
    expect(c.MesosCredentials.Principal).toBe("c");
  });
  test("mesosCredentials rejects a non-string secret and warns on unknown members", () => {
    expect(err('{"mesosCredentials": {"secret": 5}}').message).toBe(
      'config.json: key "mesosCredentials.secret": expected a string, got 5',
    );
    expect(ok('{"mesosCredentials": {"user": "x"}}').warnings).toEqual([
      'config.json: unknown key "mesosCredentials.user" ignored',
    ]);
    err('{"mesosCredentials": "p:s"}');
  });
  test("zoneResolvers given twice are merged; zone keys are lower-cased", () => {
    const c = ok(
      '{"zoneResolvers": {"Weave": ["1.1.1.1"]}, "ZoneResolvers": {"consul": ["2.2.2.2"]}}',
    ).config;
    expect(c.ZoneResolvers).toEqual({ weave: ["1.1.1.1"], consul: ["2.2.2.2"] });
  });
  test("zoneResolvers: zone keys differing only in case are an error naming both spellings", () => {
    expect(err('{"zoneResolvers": {"Weave": ["1.1.1.1"], "weave": ["2.2.2.2"]}}').message).toBe(
      'config.json: key "zoneResolvers": zones "Weave" and "weave" differ only in case; zones are compared case-insensitively',
    );
    expect(
      err('{"zoneResolvers": {"WEAVE": ["1.1.1.1"]}, "zoneResolvers": {"weave": ["2.2.2.2"]}}').message,
    ).toContain('zones "WEAVE" and "weave" differ only in case');
  });
  test("zoneResolvers: the same spelling twice keeps the later list, as Go's decoder", () => {
    const c = ok('{"zoneResolvers": {"weave": ["1.1.1.1"], "weave": ["2.2.2.2"]}}').config;
    expect(c.ZoneResolvers).toEqual({ weave: ["2.2.2.2"] });
  });
  test("zoneResolvers: a __proto__ zone is a plain key, not the map's prototype", () => {
    const c = ok('{"zoneResolvers": {"__proto__": ["1.1.1.1"], "constructor": ["2.2.2.2"]}}').config;
    expect(Object.entries(c.ZoneResolvers)).toEqual([
      ["__proto__", ["1.1.1.1"]],
      ["constructor", ["2.2.2.2"]],
    ]);
    expect(Object.getPrototypeOf(c.ZoneResolvers)).toBeNull();
    expect(ok("{}").config.ZoneResolvers["constructor"]).toBeUndefined();
  });
  test("zoneResolvers: a null list becomes empty (validation then rejects it)", () => {
    expect(ok('{"zoneResolvers": {"weave": null}}').config.ZoneResolvers).toEqual({ weave: [] });
  });
  test("zoneResolvers rejects non-list values and non-objects", () => {
    expect(err('{"zoneResolvers": {"weave": "1.1.1.1"}}').message).toBe(
      'config.json: key "zoneResolvers.weave": expected a list of strings, got "1.1.1.1"',
    );
    err('{"zoneResolvers": ["1.1.1.1"]}');
  });
  test("nested strings with braces and escaped quotes do not confuse key order", () => {
    const c = ok('{"zk": "zk://h:1/{\\"]", "port": 1, "PORT": 2}').config;
    expect(c.Zk).toBe('zk://h:1/{"]');
    expect(c.Port).toBe(2);
  });
});

describe("parseConfigText() normalisation", () => {
  test("lower-cases the domain", () => {
    expect(ok('{"domain": "DC.Mesos"}').config.Domain).toBe("dc.mesos");
  });
  test("SOAMname: trailing dots removed, one dot appended", () => {
    expect(ok('{"SOAMname": "ns1.x..."}').config.SOAMname).toBe("ns1.x.");
    expect(ok('{"SOAMname": "ns1.x"}').config.SOAMname).toBe("ns1.x.");
  });
  test("SOARname: every @ becomes a dot", () => {
    expect(ok('{"SOARname": "root@ns1@x."}').config.SOARname).toBe("root.ns1.x.");
  });
  test("defaults are already normalised", () => {
    const c = ok("{}").config;
    expect([c.SOAMname, c.SOARname]).toEqual(["ns1.mesos.", "root.ns1.mesos."]);
  });
});
