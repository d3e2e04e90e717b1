import { describe, expect, test } from "bun:test";
import { type CliDeps, runCli } from "../../src/cli.ts";
import type { Config } from "../../src/core/config/config.ts";
import { NetError, type Platform } from "../../src/core/platform.ts";

/** Files served from a map; everything network-related fails loudly. */
function fakePlatform(files: Record<string, string>): Platform {
  const unused = () => Promise.reject(new Error("not used by the CLI"));
  return {
    name: "memory",
    bindUdp: unused,
    listenTcp: unused,
    connectTcp: unused,
    serveHttp: unused,
    httpRequest: unused,
    httpStream: unused,
    lookupHost: unused,
    async readTextFile(path) {
      const text = files[path];
      if (text === undefined) throw new NetError("NOT_FOUND", `no such file: ${path}`);
      return text;
    },
    localAddresses: () => [],
    env: () => undefined,
    cwd: () => "/srv",
    onSignal() {},
    checkTlsMaterial: () => undefined,
  };
}

interface Harness {
  deps: CliDeps;
  stdout: string[];
  stderr: string[];
  served: Array<{ config: Config; verbose: number }>;
  recorded: Array<{ statePath: string; config: Config; format: "zone" | "json" }>;
}

function harness(files: Record<string, string> = {}, status = 0): Harness {
  const h: Harness = {
    stdout: [],
    stderr: [],
    served: [],
    recorded: [],
    deps: {
      platform: fakePlatform(files),
      version: "1.2.3-test",
      stdout: (line) => h.stdout.push(line),
      stderr: (line) => h.stderr.push(line),
      async serve(config, verbose) {
        h.served.push({ config, verbose });
        return status;
      },
      async records(options) {
        h.recorded.push(options);
        return status;
      },
    },
  };
  return h;
}

const GOOD = {
  "/srv/config.json": '{"masters": ["10.0.0.1:5050"]}',
  "/srv/x.json": '{"zk": "zk://h:2181/mesos"}',
};

describe("runCli() serve", () => {
  test("with no arguments serves config.json from the working directory at verbosity 0", async () => {
    const h = harness(GOOD);
    expect(await runCli([], h.deps)).toBe(0);
    expect(h.served).toHaveLength(1);
    expect(h.served[0]!.config.File).toBe("/srv/config.json");
    expect(h.served[0]!.config.Masters).toEqual(["10.0.0.1:5050"]);
    expect(h.served[0]!.verbose).toBe(0);
    expect(h.stderr).toEqual([]);
  });
  test("returns the status serve() resolves to", async () => {
    expect(await runCli([], harness(GOOD, 1).deps)).toBe(1);
  });
  test("accepts upstream's bare -v before -config=x (docs/spec.md §10 #28)", async () => {
    const h = harness(GOOD);
    expect(await runCli(["-v", "-config=x.json"], h.deps)).toBe(0);
    expect(h.served[0]!.config.File).toBe("/srv/x.json");
    expect(h.served[0]!.verbose).toBe(1);
  });
  test("-v=2 sets verbosity 2; the explicit serve subcommand works with flags on either side", async () => {
    for (const argv of [
      ["-v=2", "serve", "--config", "x.json"],
      ["serve", "-v=2", "-config", "x.json"],
      ["--config=x.json", "serve", "--verbose=2"],
    ]) {
      const h = harness(GOOD);
      expect(await runCli(argv, h.deps)).toBe(0);
      expect(h.served[0]).toMatchObject({ verbose: 2, config: { File: "/srv/x.json" } });
    }
  });
  test("glog flags are accepted and reported as having no effect", async () => {
    const h = harness(GOOD);
    expect(await runCli(["-logtostderr=true", "-v=1"], h.deps)).toBe(0);
    expect(h.served).toHaveLength(1);
    expect(h.stderr).toEqual(["flag -logtostderr is accepted for compatibility and has no effect"]);
  });
  test("config warnings go to stderr and do not stop the server", async () => {
    const h = harness({ "/srv/config.json": '{"masters": ["10.0.0.1:5050"], "email": "x"}' });
    expect(await runCli([], h.deps)).toBe(0);
    expect(h.stderr).toEqual(['/srv/config.json: unknown key "email" ignored']);
  });
});

describe("runCli() bad configuration", () => {
  test("a wrong type: exit 2, exactly one stderr line naming file, key and value", async () => {
    const h = harness({ "/srv/config.json": '{"masters": ["10.0.0.1:5050"], "port": "53", "email": 1}' });
    expect(await runCli(["-logtostderr", "-config=config.json"], h.deps)).toBe(2);
    expect(h.stderr).toEqual(['/srv/config.json: key "port": expected an integer 0..65535, got "53"']);
    expect(h.served).toEqual([]);
  });
  test("a missing file: exit 2, one line with the absolute path", async () => {
    const h = harness({});
    expect(await runCli(["-config", "nope.json"], h.deps)).toBe(2);
    expect(h.stderr).toEqual(['missing configuration file: "/srv/nope.json"']);
  });
  test("a validation failure: exit 2, one line", async () => {
    const h = harness({
      "/srv/config.json": '{"masters": ["10.0.0.1:5050"], "resolvers": ["dns.example.com"]}',
    });
    expect(await runCli([], h.deps)).toBe(2);
    expect(h.stderr).toHaveLength(1);
    expect(h.stderr[0]).toContain('"dns.example.com" is a hostname');
  });
  test("invalid JSON: exit 2, one line, no stack trace", async () => {
    const h = harness({ "/srv/config.json": '{\n"masters": ["a:1"],\n}' });
    expect(await runCli([], h.deps)).toBe(2);
    expect(h.stderr).toHaveLength(1);
    expect(h.stderr[0]).toBe('/srv/config.json:3:1: invalid JSON: unexpected "}"');
    expect(h.stderr[0]).not.toContain("    at ");
  });
});

describe("runCli() version and help", () => {
  for (const flag of ["-version", "--version"]) {
    test(`${flag} prints the version on stdout and exits 0 without reading the config`, async () => {
      const h = harness({});
      expect(await runCli([flag], h.deps)).toBe(0);
      expect(h.stdout).toEqual(["1.2.3-test"]);
      expect(h.stderr).toEqual([]);
      expect(h.served).toEqual([]);
    });
  }
  test("-version wins over other valid flags", async () => {
    const h = harness({});
    expect(await runCli(["-config=missing.json", "-version"], h.deps)).toBe(0);
    expect(h.stdout).toEqual(["1.2.3-test"]);
  });
  for (const flag of ["-h", "--help", "-help"]) {
    test(`${flag} prints usage on stdout and exits 0`, async () => {
      const h = harness({});
      expect(await runCli([flag], h.deps)).toBe(0);
      const text = h.stdout.join("\n");
      expect(text).toContain("mesos-dns");
      expect(text).toContain("--config");
      expect(text).toContain("records");
      expect(text).not.toContain("\x1b[");
      expect(h.served).toEqual([]);
    });
  }
  test("records --help shows the records options", async () => {
    const h = harness({});
    expect(await runCli(["records", "--help"], h.deps)).toBe(0);
    expect(h.stdout.join("\n")).toContain("--state");
  });
});

describe("runCli() usage errors", () => {
  const cases: Array<[string[], string]> = [
    [["-frobnicate"], "flag provided but not defined: -frobnicate"],
    [["--frobnicate=1"], "flag provided but not defined: --frobnicate"],
    [["-vv"], "flag provided but not defined: -vv"],
    [["--config"], "flag needs an argument: --config"],
    [["-v=high"], 'invalid value "high" for flag -v'],
    [["extra"], 'unexpected argument "extra"'],
    [["serve", "records"], 'unexpected argument "records"'],
    [["--state", "s.json"], "flag provided but not defined: --state"],
    [["records"], "records: --state FILE is required"],
    [["records", "--state", "s.json", "--format", "xml"], 'invalid value "xml" for flag --format'],
  ];
  for (const [argv, message] of cases) {
    test(`${JSON.stringify(argv)} prints usage on stderr and exits 2`, async () => {
      const h = harness(GOOD);
      expect(await runCli(argv, h.deps)).toBe(2);
      expect(h.stderr[0]).toContain(message);
      expect(h.stderr.join("\n")).toContain("USAGE");
      expect(h.served).toEqual([]);
      expect(h.recorded).toEqual([]);
    });
  }
});

describe("runCli() records", () => {
  test("without --config uses defaults with master 127.0.0.1:5050 and reads no file", async () => {
    const h = harness({});
    expect(await runCli(["records", "--state", "state.json"], h.deps)).toBe(0);
    expect(h.recorded).toHaveLength(1);
    const call = h.recorded[0]!;
    expect(call.statePath).toBe("state.json");
    expect(call.format).toBe("zone");
    expect(call.config.Masters).toEqual(["127.0.0.1:5050"]);
    expect(call.config.Domain).toBe("mesos");
    expect(call.config.SOASerial).toBeGreaterThan(1_600_000_000);
    expect(h.served).toEqual([]);
  });
  test("--format json and --config are passed through", async () => {
    const h = harness(GOOD);
    expect(await runCli(["records", "-state=s.json", "--format=json", "--config", "x.json"], h.deps)).toBe(0);
    expect(h.recorded[0]).toMatchObject({
      statePath: "s.json",
      format: "json",
      config: { Zk: "zk://h:2181/mesos" },
    });
  });
  test("a bad --config is one stderr line and exit 2", async () => {
    const h = harness({ "/srv/bad.json": '{"domain": 5}' });
    expect(await runCli(["records", "--state", "s.json", "--config", "bad.json"], h.deps)).toBe(2);
    expect(h.stderr).toEqual(['/srv/bad.json: key "domain": expected a string, got 5']);
    expect(h.recorded).toEqual([]);
  });
  test("returns the status records() resolves to", async () => {
    expect(await runCli(["records", "--state", "s.json"], harness({}, 3).deps)).toBe(3);
  });
});
