import { describe, expect, test } from "bun:test";
import {
  absolutePath,
  expandHome,
  loadConfig,
  resolvConfNameservers,
} from "../../../src/core/config/config-load.ts";
import type { ConfigResult } from "../../../src/core/config/config-parse.ts";
import { NetError, type Platform } from "../../../src/core/platform.ts";

interface FakeOptions {
  files?: Record<string, string>;
  env?: Record<string, string>;
  cwd?: string;
  local?: string[];
}

/** Just enough of a Platform for loading configuration: files from a map, fixed env and cwd. */
function fakePlatform(options: FakeOptions = {}): Platform & { reads: string[] } {
  const files = new Map(Object.entries(options.files ?? {}));
  const reads: string[] = [];
  const unused = () => Promise.reject(new Error("not used by config loading"));
  return {
    name: "memory",
    reads,
    bindUdp: unused,
    listenTcp: unused,
    connectTcp: unused,
    serveHttp: unused,
    httpRequest: unused,
    httpStream: unused,
    lookupHost: unused,
    async readTextFile(path) {
      reads.push(path);
      const text = files.get(path);
      if (text === undefined) throw new NetError("NOT_FOUND", `no such file: ${path}`);
      return text;
    },
    localAddresses: () => options.local ?? [],
    env: (name) => options.env?.[name],
    cwd: () => options.cwd ?? "/srv",
    onSignal() {},
    checkTlsMaterial: () => undefined,
  };
}

const MASTERS = '"masters": ["10.0.0.1:5050"]';
const NOW = () => 1_700_000_000_500;

function ok(r: ConfigResult) {
  if (!r.ok) throw new Error(`expected success, got: ${r.error.message}`);
  return r;
}
function err(r: ConfigResult) {
  if (r.ok) throw new Error("expected an error");
  return r.error;
}

describe("resolvConfNameservers()", () => {
  test("returns nameserver addresses in file order", () => {
    const text =
      "# generated\nsearch example.com\nnameserver 10.0.0.2\nnameserver  2001:db8::1 \noptions ndots:5\nnameserver 10.0.0.3\n";
    expect(resolvConfNameservers(text)).toEqual(["10.0.0.2", "2001:db8::1", "10.0.0.3"]);
  });
  test("skips comments, bare keywords and other directives; tolerates CRLF and tabs", () => {
    const text =
      "#nameserver 1.1.1.1\n; nameserver 2.2.2.2\nnameserver\nnameservers 3.3.3.3\r\nnameserver\t4.4.4.4 # office\r\n";
    expect(resolvConfNameservers(text)).toEqual(["4.4.4.4"]);
  });
  test("an empty file has no nameservers", () => {
    expect(resolvConfNameservers("")).toEqual([]);
  });
});

describe("config path lookup (docs/spec.md §1.2)", () => {
  test("replaces the first ~/ with USERPROFILE, preferred over HOME", () => {
    const p = fakePlatform({ env: { USERPROFILE: "/u", HOME: "/h" } });
    expect(expandHome(p, "~/a/~/b")).toBe("/u/a/~/b");
  });
  test("falls back to HOME, then to '.', ignoring empty values", () => {
    expect(expandHome(fakePlatform({ env: { USERPROFILE: "", HOME: "/h" } }), "~/c.json")).toBe("/h/c.json");
    expect(expandHome(fakePlatform({ env: { HOME: "" } }), "~/c.json")).toBe("./c.json");
  });
  test("replaces ~/ anywhere, not only at the start", () => {
    expect(expandHome(fakePlatform({ env: { HOME: "/h" } }), "x~/c.json")).toBe("x/h/c.json");
  });
  test("makes relative paths absolute against cwd and cleans them", () => {
    const p = fakePlatform({ cwd: "/srv/dns" });
    expect(absolutePath(p, "config.json")).toBe("/srv/dns/config.json");
    expect(absolutePath(p, "./etc/../config.json")).toBe("/srv/dns/config.json");
    expect(absolutePath(p, "/etc//mesos-dns/./config.json")).toBe("/etc/mesos-dns/config.json");
  });
  test("loadConfig() reads ~/ paths from the home directory", async () => {
    const p = fakePlatform({ env: { HOME: "/home/op" }, files: { "/home/op/dns.json": `{${MASTERS}}` } });
    const r = ok(await loadConfig(p, "~/dns.json", NOW));
    expect(r.config.File).toBe("/home/op/dns.json");
  });
  test("a missing file is an error naming the absolute path", async () => {
    const e = err(await loadConfig(fakePlatform({ cwd: "/srv" }), "config.json", NOW));
    expect(e.message).toBe('missing configuration file: "/srv/config.json"');
    expect(e.file).toBe("/srv/config.json");
  });
});

describe("loadConfig()", () => {
  test("sets File to the absolute path and SOASerial to the current Unix time", async () => {
    const p = fakePlatform({
      files: { "/srv/config.json": `{${MASTERS}, "file": "/elsewhere", "SOASerial": 5}` },
    });
    const r = ok(await loadConfig(p, "config.json", NOW));
    expect(r.config.File).toBe("/srv/config.json");
    expect(r.config.SOASerial).toBe(1_700_000_000);
    expect(r.config.Resolvers).toEqual(["8.8.8.8"]);
  });
  test("parse errors name the absolute path", async () => {
    const p = fakePlatform({ files: { "/srv/config.json": '{"port": "53"}' } });
    expect(err(await loadConfig(p, "config.json", NOW)).message).toBe(
      '/srv/config.json: key "port": expected an integer 0..65535, got "53"',
    );
  });
  test("validation errors name the absolute path", async () => {
    const p = fakePlatform({ files: { "/srv/config.json": "{}" } });
    expect(err(await loadConfig(p, "config.json", NOW)).message).toStartWith(
      "/srv/config.json: service validation failed",
    );
  });
  test("passes parse warnings through", async () => {
    const p = fakePlatform({ files: { "/srv/config.json": `{${MASTERS}, "email": "x"}` } });
    expect(ok(await loadConfig(p, "config.json", NOW)).warnings).toEqual([
      '/srv/config.json: unknown key "email" ignored',
    ]);
  });
});

describe("loadConfig() resolv.conf fallback", () => {
  const resolv =
    "nameserver 10.0.0.2\nnameserver 192.168.1.5\nnameserver 2001:db8::53\nnameserver 10.0.0.2\n";
  for (const resolvers of ["[]", "null"]) {
    test(`fills "resolvers": ${resolvers} from resolv.conf minus local addresses, in order`, async () => {
      const p = fakePlatform({
        files: { "/srv/config.json": `{${MASTERS}, "resolvers": ${resolvers}}`, "/etc/resolv.conf": resolv },
        local: ["192.168.1.5", "fe80::1"],
      });
      expect(ok(await loadConfig(p, "config.json", NOW)).config.Resolvers).toEqual([
        "10.0.0.2",
        "2001:db8::53",
      ]);
    });
  }
  test("a local address written differently is still removed", async () => {
    const p = fakePlatform({
      files: {
        "/srv/config.json": `{${MASTERS}, "resolvers": []}`,
        "/etc/resolv.conf": "nameserver 2001:0db8::0053\n",
      },
      local: ["2001:db8::53"],
    });
    expect(ok(await loadConfig(p, "config.json", NOW)).config.Resolvers).toEqual([]);
  });
  test("entries that are not IP literals are dropped with a warning", async () => {
    const p = fakePlatform({
      files: {
        "/srv/config.json": `{${MASTERS}, "resolvers": []}`,
        "/etc/resolv.conf": "nameserver fe80::1%eth0\nnameserver 10.0.0.2\n",
      },
    });
    const r = ok(await loadConfig(p, "config.json", NOW));
    expect(r.config.Resolvers).toEqual(["10.0.0.2"]);
    expect(r.warnings).toEqual([
      '/etc/resolv.conf: nameserver "fe80::1%eth0" is not a plain IP address; ignored',
    ]);
  });
  test("an empty result is not an error", async () => {
    const p = fakePlatform({
      files: { "/srv/config.json": `{${MASTERS}, "resolvers": []}`, "/etc/resolv.conf": "search x\n" },
    });
    expect(ok(await loadConfig(p, "config.json", NOW)).config.Resolvers).toEqual([]);
  });
  test("a missing resolv.conf is an error", async () => {
    const p = fakePlatform({ files: { "/srv/config.json": `{${MASTERS}, "resolvers": []}` } });
    const e = err(await loadConfig(p, "config.json", NOW));
    expect(e.message).toContain("/etc/resolv.conf");
    expect(e.key).toBe("resolvers");
  });
  test("resolv.conf is not read when resolvers are configured or ExternalOn is false", async () => {
    const p = fakePlatform({
      files: {
        "/srv/a.json": `{${MASTERS}, "resolvers": ["1.1.1.1"]}`,
        "/srv/b.json": `{${MASTERS}, "resolvers": [], "externalOn": false}`,
      },
    });
    ok(await loadConfig(p, "a.json", NOW));
    const b = ok(await loadConfig(p, "b.json", NOW));
    expect(b.config.Resolvers).toEqual([]);
    expect(p.reads).not.toContain("/etc/resolv.conf");
  });
});

describe("loadConfig() TLS files (docs/spec.md §2.3 step 9)", () => {
  const CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  const KEY = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";
  const load = (extra: string, files: Record<string, string> = {}) =>
    loadConfig(
      fakePlatform({ files: { "/srv/config.json": `{${MASTERS}, ${extra}}`, ...files } }),
      "config.json",
      NOW,
    );

  test("a readable CA file with a certificate is accepted (relative to cwd)", async () => {
    expect(ok(await load('"caCertFile": "ca.pem"', { "/srv/ca.pem": CERT })).config.CACertFile).toBe(
      "ca.pem",
    );
  });
  test("an unreadable CA file is an error naming key and path", async () => {
    expect(err(await load('"caCertFile": "/nope.pem"')).message).toBe(
      '/srv/config.json: key "caCertFile": cannot read "/nope.pem"',
    );
  });
  test("a CA file without a PEM certificate is an error", async () => {
    expect(err(await load('"caCertFile": "/ca.pem"', { "/ca.pem": "hello" })).message).toContain(
      "contains no PEM certificate",
    );
  });
  test("certFile without keyFile: Missing private key", async () => {
    expect(err(await load('"certFile": "/c.pem"', { "/c.pem": CERT })).message).toContain(
      "Missing private key",
    );
  });
  test("keyFile without certFile: Missing certificate", async () => {
    expect(err(await load('"keyFile": "/k.pem"', { "/k.pem": KEY })).message).toContain(
      "Missing certificate",
    );
  });
  test("a readable certificate and key pair is accepted", async () => {
    const { config } = ok(
      await load('"certFile": "/c.pem", "keyFile": "/k.pem"', { "/c.pem": CERT, "/k.pem": KEY }),
    );
    expect([config.CertFile, config.KeyFile]).toEqual(["/c.pem", "/k.pem"]);
  });
  test("a key file without a private key is an error", async () => {
    expect(
      err(await load('"certFile": "/c.pem", "keyFile": "/k.pem"', { "/c.pem": CERT, "/k.pem": CERT }))
        .message,
    ).toContain('key "keyFile"');
  });
});

describe("loadConfig() IAM file (docs/spec.md §2.3 step 10)", () => {
  const IAM = JSON.stringify({ uid: "svc", private_key: "-----BEGIN", login_endpoint: "https://x/login" });
  const load = (extra: string, files: Record<string, string> = {}) =>
    loadConfig(
      fakePlatform({ files: { "/srv/config.json": `{${MASTERS}, ${extra}}`, ...files } }),
      "config.json",
      NOW,
    );

  test("iam with a complete file is accepted", async () => {
    const { config } = ok(
      await load('"mesosAuthentication": "iam", "IAMConfigFile": "/iam.json"', { "/iam.json": IAM }),
    );
    expect([config.MesosAuthentication, config.IAMConfigFile]).toEqual(["iam", "/iam.json"]);
  });
  test("iam with a missing field is invalid HTTP IAM configuration", async () => {
    const partial = JSON.stringify({ uid: "svc", private_key: "" });
    const e = err(
      await load('"mesosAuthentication": "iam", "IAMConfigFile": "/iam.json"', { "/iam.json": partial }),
    );
    expect(e.message).toContain("invalid HTTP IAM configuration");
    expect(e.message).toContain('"private_key", "login_endpoint"');
  });
  test("an IAM file that is not JSON is an error even without iam", async () => {
    expect(err(await load('"IAMConfigFile": "/iam.json"', { "/iam.json": "uid=svc" })).message).toContain(
      "is not valid JSON",
    );
  });
  test("an unreadable IAM file is an error", async () => {
    expect(err(await load('"mesosAuthentication": "iam", "IAMConfigFile": "/iam.json"')).message).toContain(
      'cannot read "/iam.json"',
    );
  });
  test("iam without IAMConfigFile is rejected by validation", async () => {
    expect(err(await load('"mesosAuthentication": "iam"')).message).toContain(
      "missing configuration for specified authentication mechanism",
    );
  });
});
