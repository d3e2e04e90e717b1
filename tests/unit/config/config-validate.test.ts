import { describe, expect, test } from "bun:test";
import { type Config, defaultConfig } from "../../../src/core/config/config.ts";
import {
  checkMasters,
  checkResolvers,
  checkZones,
  validateConfig,
} from "../../../src/core/config/config-validate.ts";

const FILE = "config.json";

/** A valid configuration (static masters) with `patch` applied. */
function config(patch: Partial<Config> = {}): Config {
  return { ...defaultConfig(), Masters: ["10.0.0.1:5050"], ...patch };
}

function message(patch: Partial<Config>): string {
  const e = validateConfig(config(patch), FILE);
  if (!e) throw new Error("expected a validation error");
  expect(e.file).toBe(FILE);
  expect(e.message.startsWith("config.json: ")).toBe(true);
  expect(e.message).not.toContain("\n");
  return e.message;
}

describe("validateConfig() basics", () => {
  test("accepts the defaults plus a master", () => {
    expect(validateConfig(config(), FILE)).toBeUndefined();
  });
  test("accepts zk instead of masters", () => {
    expect(validateConfig(config({ Masters: null, Zk: "zk://10.0.0.1:2181/mesos" }), FILE)).toBeUndefined();
  });
});

describe("validateConfig() step 2: service check", () => {
  test("rejects DNS and HTTP both off", () => {
    expect(message({ DnsOn: false, HttpOn: false })).toContain(
      "service validation failed: either DNS or HTTP server should be on",
    );
  });
  test("accepts one of them off", () => {
    expect(validateConfig(config({ DnsOn: false }), FILE)).toBeUndefined();
    expect(validateConfig(config({ HttpOn: false }), FILE)).toBeUndefined();
  });
  test("rejects neither masters nor zk", () => {
    expect(message({ Masters: null })).toContain("service validation failed: specify Mesos masters");
    expect(message({ Masters: [] })).toContain("service validation failed");
  });
});

describe("validateConfig() step 3: masters (docs/spec.md §2.3 vectors)", () => {
  const vectors: Array<[string[], boolean]> = [
    [[], true],
    [[""], false],
    [["a"], false],
    [["a:1234"], true],
    [["a:0"], false],
    [["a:65535"], true],
    [["a:65536"], false],
    [["1.2.3.4"], false],
    [["1.2.3.4:5"], true],
    [["1.2.3.4.5:6"], true],
    [["1.2.3.4:1", "1.2.3.4:1"], false],
    [["[2001:0db8:3c4d:0015:0000:0000:1a2f:1a2b]:1", "[2001:db8:3c4d:15::1a2f:1a2b]:1"], false],
    [["[2001:db8:3c4d:15::1a2f:1a2b]:1"], true],
  ];
  for (const [masters, valid] of vectors) {
    test(`checkMasters(${JSON.stringify(masters)}) is ${valid ? "valid" : "invalid"}`, () => {
      expect(checkMasters(masters) === undefined).toBe(valid);
    });
  }
  test("messages start with 'error validating masters:' and quote the entry", () => {
    expect(message({ Masters: ["a:0"] })).toBe(
      'config.json: error validating masters: illegal host:port specified: "a:0"; expected host:port (IPv6 in brackets) with port 1..65535',
    );
    expect(message({ Masters: ["1.2.3.4:1", "1.2.3.4:1"] })).toContain(
      'error validating masters: duplicate found: "1.2.3.4:1"',
    );
  });
  test("an empty host is rejected", () => {
    expect(checkMasters([":5050"])).toContain("illegal host:port");
  });
  test("configured strings are kept as written", () => {
    const c = config({ Masters: ["[2001:0db8::1]:5050"] });
    expect(validateConfig(c, FILE)).toBeUndefined();
    expect(c.Masters).toEqual(["[2001:0db8::1]:5050"]);
  });
});

describe("validateConfig() step 4: resolvers (docs/spec.md §2.3 vectors)", () => {
  const valid = [
    ["1.2.3.4"],
    ["1.2.3.4:53"],
    ["1.2.3.4", "5.6.7.8:1234"],
    ["5.6.7.8:65535"],
    ["2001:db8:3c4d:15::1a2f:1a2b"],
    ["2001:0db8:3c4d:0015:0000:0000:1a2f:1a2b", "[2001:db8:3c4d:15::1a2f:1a2b]:55"],
    ["[::1]:5353"],
    [],
  ];
  // Each invalid list with the problem checkResolvers() names.
  const ip = (v: string) => `illegal ip specified: "${v}" is not an IP address or IP:port`;
  const host = (v: string) => `illegal ip specified: "${v}" is a hostname; resolvers must be IP addresses`;
  const port = (v: string) => `illegal host:port specified: "${v}"; the port must be 1..65535`;
  const dup = (v: string) => `duplicate found: "${v}" (same as an earlier entry)`;
  const invalid: Array<[string[], string]> = [
    [[""], ip("")],
    [["a"], host("a")],
    [["1.2.3.4.5"], ip("1.2.3.4.5")],
    [["5.6.7.8:-1"], port("5.6.7.8:-1")],
    [["5.6.7.8:65536"], port("5.6.7.8:65536")],
    [["5.6.7.8:abc"], port("5.6.7.8:abc")],
    [["5.6.7.8:0"], port("5.6.7.8:0")],
    [
      ["2001:0db8:3c4d:0015:0000:0000:1a2f:1a2b", "2001:db8:3c4d:15::1a2f:1a2b"],
      dup("2001:db8:3c4d:15::1a2f:1a2b"),
    ],
    [["[2001:db8::1]:53", "2001:db8::1"], dup("2001:db8::1")],
    [["1.2.3.4", "1.2.3.4:53"], dup("1.2.3.4:53")],
    [["1.2.3.4", "::ffff:1.2.3.4"], dup("::ffff:1.2.3.4")],
    [["dns.example.com"], host("dns.example.com")],
    [["dns.example.com:53"], host("dns.example.com:53")],
  ];
  for (const list of valid) {
    test(`checkResolvers(${JSON.stringify(list)}) is valid`, () => {
      expect(checkResolvers(list)).toBeUndefined();
    });
  }
  for (const [list, problem] of invalid) {
    test(`checkResolvers(${JSON.stringify(list)}) is invalid`, () => {
      expect(checkResolvers(list)).toBe(problem);
    });
  }
  test("a hostname gets a clear message", () => {
    expect(message({ Resolvers: ["dns.example.com"] })).toBe(
      'config.json: error validating resolvers: illegal ip specified: "dns.example.com" is a hostname; resolvers must be IP addresses',
    );
  });
  test("a bad port and a duplicate are named", () => {
    expect(message({ Resolvers: ["5.6.7.8:65536"] })).toContain(
      'error validating resolvers: illegal host:port specified: "5.6.7.8:65536"',
    );
    expect(message({ Resolvers: ["1.2.3.4", "1.2.3.4:53"] })).toContain(
      'error validating resolvers: duplicate found: "1.2.3.4:53"',
    );
  });
  test("resolvers are not checked when ExternalOn is false", () => {
    expect(validateConfig(config({ ExternalOn: false, Resolvers: ["a"] }), FILE)).toBeUndefined();
    expect(
      validateConfig(config({ ExternalOn: false, Domain: "dc.mesos", ZoneResolvers: { mesos: [] } }), FILE),
    ).toBeUndefined();
  });
  test("null resolvers are accepted (the loader fills them from resolv.conf)", () => {
    expect(validateConfig(config({ Resolvers: null }), FILE)).toBeUndefined();
  });
});

describe("validateConfig() step 4: zone resolvers (docs/spec.md §2.3 vectors, domain dc.mesos)", () => {
  const r = ["1.1.1.1"];
  const cases: Array<[Record<string, string[]>, boolean]> = [
    [{ weave: r }, true],
    [{ "acdc.mesos": r }, true],
    [{ mesos: r }, false],
    [{ "dc.mesos": r }, false],
    [{ "site.dc.mesos": r }, false],
    [{ "abc.com": r, com: r }, false],
    [{ "abc.com": r, "bc.com": r }, true],
    [{ "": r }, false],
    [{ ".weave": r }, false],
    [{ "weave.": r }, false],
    [{ weave: [] }, false],
    [{ weave: ["dns.example.com"] }, false],
    [{ weave: ["1.1.1.1", "1.1.1.1:53"] }, false],
    [{ "DC.MESOS": r }, false],
    [{ Weave: r, weave: r }, false],
  ];
  for (const [zones, valid] of cases) {
    test(`checkZones(${JSON.stringify(zones)}) is ${valid ? "valid" : "invalid"}`, () => {
      expect(checkZones(zones, "dc.mesos") === undefined).toBe(valid);
    });
  }
  test("zone equal to the domain compares case-insensitively (docs/spec.md §10 #10)", () => {
    expect(message({ Domain: "dc.mesos", ZoneResolvers: { "Dc.Mesos": r } })).toBe(
      "config.json: can't specify ZoneResolver for Mesos domain (dc.mesos)",
    );
  });
  test("messages for empty and masked zones", () => {
    expect(message({ ZoneResolvers: { weave: [] } })).toBe(
      'config.json: field ZoneResolver "weave" is empty',
    );
    expect(message({ Domain: "dc.mesos", ZoneResolvers: { mesos: r } })).toBe(
      "config.json: ambiguous zone resolvers: .dc.mesos is masked by .mesos",
    );
  });
});

describe("validateConfig() step 5: IP sources", () => {
  test("rejects an empty list", () => {
    expect(message({ IPSources: [] })).toBe("config.json: IPSources validation failed: empty ip sources");
  });
  test("rejects duplicates", () => {
    expect(message({ IPSources: ["host", "host"] })).toContain("duplicate ip source specified");
  });
  test("rejects unknown and wrongly cased sources", () => {
    expect(message({ IPSources: ["Host"] })).toContain('invalid ip source "Host"');
    expect(message({ IPSources: ["netinfo", "label"] })).toContain('invalid ip source "label"');
  });
  test("accepts every known source", () => {
    expect(
      validateConfig(config({ IPSources: ["host", "docker", "mesos", "netinfo"] }), FILE),
    ).toBeUndefined();
  });
});

describe("validateConfig() step 6: StateTimeoutSeconds", () => {
  test("rejects 0 and negatives", () => {
    expect(message({ StateTimeoutSeconds: 0 })).toContain("Invalid HTTP Timeout: 0");
    expect(message({ StateTimeoutSeconds: -5 })).toContain("Invalid HTTP Timeout: -5");
  });
});

describe("validateConfig() step 7: domain (docs/spec.md §2.3 vectors)", () => {
  for (const domain of ["1-awesome.domain.e", "single-name", "name", "-x-.y", "MESOS"]) {
    test(`accepts ${JSON.stringify(domain)}`, () => {
      expect(validateConfig(config({ Domain: domain }), FILE)).toBeUndefined();
    });
  }
  for (const domain of ["", ".invalid.com", "invalid.com.", "bad_domain", "a..b", "a b"]) {
    test(`rejects ${JSON.stringify(domain)}`, () => {
      expect(message({ Domain: domain })).toContain("is not a valid domain name");
    });
  }
  test("message quotes the domain", () => {
    expect(message({ Domain: "bad_domain" })).toBe('config.json: "bad_domain" is not a valid domain name');
  });
});

describe("validateConfig() our additions (docs/spec.md §10 #29)", () => {
  const bad: Array<[Partial<Config>, string]> = [
    [
      { RefreshSeconds: 0 },
      'key "refreshSeconds": expected an integer 1..2147483 (seconds; longer timer delays overflow), got 0',
    ],
    [{ RefreshSeconds: -1 }, 'key "refreshSeconds"'],
    [{ Port: 65536 }, 'key "port": expected an integer 0..65535, got 65536'],
    [{ Port: -1 }, 'key "port"'],
    [{ HttpPort: 70000 }, 'key "httpport": expected an integer 0..65535, got 70000'],
    [{ TTL: -1 }, 'key "ttl"'],
    [{ Timeout: -1 }, 'key "timeout"'],
    [{ ZkDetectionTimeout: -1 }, 'key "zkDetectionTimeout"'],
    [{ ForwardCacheSize: -1 }, 'key "forwardCacheSize"'],
    [{ ForwardMaxInFlight: 0 }, 'key "forwardMaxInFlight": expected an integer >= 1, got 0'],
    [{ StateMaxBytes: 1023 }, 'key "stateMaxBytes": expected an integer >= 1024, got 1023'],
    [{ ForwardCacheMaxTTL: -1 }, 'key "forwardCacheMaxTTL"'],
    [{ ReadyMaxAgeSeconds: -1 }, 'key "readyMaxAgeSeconds"'],
    [{ SRVRecordDefaultWeight: 65536 }, 'key "srvRecordDefaultWeight"'],
    [{ Port: 1.5 }, 'key "port"'],
    [{ Listener: "localhost" }, 'key "listener": expected an IP address to listen on, got "localhost"'],
    [{ HTTPListener: "" }, 'key "httplistener"'],
    [{ Listener: "1.2.3.4:53" }, 'key "listener"'],
    [{ Zk: "zk://10.0.0.1:2181" }, 'key "zk": Invalid zk "zk://10.0.0.1:2181": no znode path'],
    [{ Zk: "zk://10.0.0.1:2181/" }, 'key "zk"'],
    [{ Zk: "zk://10.0.0.1/mesos" }, 'key "zk"'],
    [{ Zk: "zk://10.0.0.1:2181,/mesos" }, 'key "zk"'],
    [{ Zk: "zk://10.0.0.1:99999/mesos" }, 'key "zk"'],
    [{ Zk: "http://10.0.0.1:2181/mesos" }, 'key "zk"'],
    [{ Zk: "zk://10.0.0.1:2181//" }, 'key "zk": Invalid zk "zk://10.0.0.1:2181//": no znode path'],
    [{ Zk: "zk://10.0.0.1:2181///" }, 'key "zk"'],
    [{ Zk: "file:///etc/mesos/zk" }, 'Invalid zk "file:///etc/mesos/zk": file:// is not supported'],
    [{ Zk: "master@10.0.0.1" }, 'key "zk"'],
    [{ Zk: "10.0.0.1:0" }, 'key "zk"'],
    [{ Zk: "10.0.0.1:99999" }, 'key "zk"'],
  ];
  for (const [patch, expected] of bad) {
    test(`rejects ${JSON.stringify(patch)}`, () => {
      expect(message(patch)).toContain(expected);
    });
  }
  const good: Array<Partial<Config>> = [
    { Port: 0, HttpPort: 0 },
    { Port: 65535, HttpPort: 65535 },
    { TTL: 0, Timeout: 0, ForwardCacheSize: 0 },
    { StateMaxBytes: 1024, ForwardMaxInFlight: 1 },
    { Listener: "::", HTTPListener: "127.0.0.1" },
    { Listener: "::1", HTTPListener: "fe80::1" },
    { Zk: "zk://10.0.0.1:2181/mesos" },
    { Zk: "zk://10.0.0.1:2181,10.0.0.2:2181,[fd00::1]:2181/mesos" },
    { Zk: "zk://user:pass@zk1.example.com:2181,zk2:2181/dcos/mesos" },
    { Zk: "ZK://zk1:2181/mesos/" },
    // docs/spec.md §3.3: upstream's detector also takes a fixed leader without ZooKeeper.
    { Masters: null, Zk: "10.0.0.1:5050" },
    { Masters: null, Zk: "master@10.0.0.1:5050" },
    { Masters: null, Zk: "master@[fd00::1]:5050" },
  ];
  for (const patch of good) {
    test(`accepts ${JSON.stringify(patch)}`, () => {
      expect(validateConfig(config(patch), FILE)).toBeUndefined();
    });
  }
  test("zk credentials are not echoed in the message", () => {
    expect(message({ Zk: "zk://user:secret@h/mesos" })).not.toContain("secret");
  });
  test("a zk password with a slash or an upper-case scheme is masked in the message", () => {
    const slash = message({ Zk: "zk://mesos:s3c/ret@h:2181" });
    expect(slash).not.toContain("s3c");
    expect(slash).toContain("zk://mesos:********@h:2181");
    const upper = validateConfig(config({ Zk: "ZK://mesos:s3cret@h:2181" }), FILE);
    expect(upper?.message).not.toContain("s3cret");
    expect(upper?.value).not.toContain("s3cret");
  });
  // Runtimes store timer delays as signed 32-bit milliseconds; a longer delay fires after 1 ms.
  const timers: Array<[keyof Config, string, number]> = [
    ["RefreshSeconds", "refreshSeconds", 1],
    ["StateTimeoutSeconds", "stateTimeoutSeconds", 1],
    ["ZkDetectionTimeout", "zkDetectionTimeout", 0],
    ["Timeout", "timeout", 0],
    ["ReadyMaxAgeSeconds", "readyMaxAgeSeconds", 0],
    ["ForwardCacheMaxTTL", "forwardCacheMaxTTL", 0],
  ];
  for (const [name, key, min] of timers) {
    test(`rejects ${key} above 2147483 s (2^31-1 ms), naming key, value and limit`, () => {
      expect(message({ [name]: 2147484 })).toContain(
        `key "${key}": expected an integer ${min}..2147483 (seconds; longer timer delays overflow), got 2147484`,
      );
      expect(validateConfig(config({ [name]: 2147483 }), FILE)).toBeUndefined();
    });
  }
  test("upstream's checks come first: an invalid master is reported before a bad port", () => {
    expect(message({ Masters: ["a"], Port: -1 })).toContain("error validating masters");
  });
});

describe("validateConfig() step 10: authentication", () => {
  test('"" needs nothing', () => {
    expect(validateConfig(config({ MesosAuthentication: "" }), FILE)).toBeUndefined();
  });
  test("basic needs a principal or a secret", () => {
    expect(message({ MesosAuthentication: "basic" })).toContain("invalid HTTP Basic configuration");
    const principal = { Principal: "p", Secret: "" };
    expect(
      validateConfig(config({ MesosAuthentication: "basic", MesosCredentials: principal }), FILE),
    ).toBeUndefined();
    const secret = { Principal: "", Secret: "s" };
    expect(
      validateConfig(config({ MesosAuthentication: "basic", MesosCredentials: secret }), FILE),
    ).toBeUndefined();
  });
  test("iam needs IAMConfigFile", () => {
    expect(message({ MesosAuthentication: "iam" })).toContain(
      "missing configuration for specified authentication mechanism",
    );
    expect(
      validateConfig(config({ MesosAuthentication: "iam", IAMConfigFile: "/iam.json" }), FILE),
    ).toBeUndefined();
  });
  test("anything else, including Basic, is rejected with the allowed values", () => {
    expect(message({ MesosAuthentication: "Basic" })).toBe(
      'config.json: key "mesosAuthentication": unregistered factory requested: expected "", "basic" or "iam", got "Basic"',
    );
    expect(message({ MesosAuthentication: "kerberos" })).toContain("unregistered factory requested");
  });
});
