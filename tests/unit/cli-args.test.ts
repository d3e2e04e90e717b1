import { describe, expect, test } from "bun:test";
import { normalizeArgs } from "../../src/cli-args.ts";

const args = (argv: string[]) => normalizeArgs(argv).args;

describe("normalizeArgs() config", () => {
  for (const argv of [
    ["-config=x.json"],
    ["-config", "x.json"],
    ["--config=x.json"],
    ["--config", "x.json"],
  ]) {
    test(`${argv.join(" ")} becomes --config x.json`, () => {
      expect(args(argv)).toEqual(["--config", "x.json"]);
    });
  }
  test("the value after -config is taken whatever it looks like, as Go does", () => {
    expect(args(["-config", "-weird.json"])).toEqual(["--config", "-weird.json"]);
  });
  test("a value containing = is kept whole", () => {
    expect(args(["-config=a=b.json"])).toEqual(["--config", "a=b.json"]);
  });
  test("-config without a value is left for the CLI to reject", () => {
    expect(args(["-config"])).toEqual(["--config"]);
  });
});

describe("normalizeArgs() version and help", () => {
  test("-version and --version become --version", () => {
    expect(args(["-version"])).toEqual(["--version"]);
    expect(args(["--version"])).toEqual(["--version"]);
  });
  test("-version=true/false follow Go's boolean syntax", () => {
    expect(args(["-version=true"])).toEqual(["--version"]);
    expect(args(["-version=false"])).toEqual([]);
  });
  test("-h and --help are kept; -help becomes --help", () => {
    expect(args(["-h"])).toEqual(["-h"]);
    expect(args(["--help"])).toEqual(["--help"]);
    expect(args(["-help"])).toEqual(["--help"]);
  });
});

describe("normalizeArgs() verbosity", () => {
  test("-v=N, -v N and --v=N become --verbose N", () => {
    expect(args(["-v=2"])).toEqual(["--verbose", "2"]);
    expect(args(["-v", "2"])).toEqual(["--verbose", "2"]);
    expect(args(["--v=1"])).toEqual(["--verbose", "1"]);
  });
  test("bare -v followed by another flag means 1 (docs/spec.md §10 #28)", () => {
    expect(args(["-v", "-config=x"])).toEqual(["--verbose", "1", "--config", "x"]);
  });
  test("bare -v at the end means 1", () => {
    expect(args(["-config=x", "-v"])).toEqual(["--config", "x", "--verbose", "1"]);
  });
  test("bare -v before a subcommand means 1 and keeps the subcommand", () => {
    expect(args(["-v", "serve"])).toEqual(["--verbose", "1", "serve"]);
  });
  test("a non-numeric -v= value is passed on for the CLI to reject", () => {
    expect(args(["-v=high"])).toEqual(["--verbose", "high"]);
  });
});

describe("normalizeArgs() glog flags", () => {
  test("boolean glog flags are dropped with a warning", () => {
    const r = normalizeArgs(["-logtostderr", "-alsologtostderr=true", "-config=x"]);
    expect(r.args).toEqual(["--config", "x"]);
    expect(r.warnings).toEqual([
      "flag -logtostderr is accepted for compatibility and has no effect",
      "flag -alsologtostderr is accepted for compatibility and has no effect",
    ]);
  });
  test("valued glog flags are dropped with their value, in both forms", () => {
    const r = normalizeArgs([
      "-stderrthreshold=INFO",
      "-log_dir",
      "/var/log",
      "--log_backtrace_at=x.go:1",
      "-vmodule=a=2",
      "-v=1",
    ]);
    expect(r.args).toEqual(["--verbose", "1"]);
    expect(r.warnings).toHaveLength(4);
  });
});

describe("normalizeArgs() everything else", () => {
  test("subcommands and their flags pass through", () => {
    expect(args(["records", "--state", "s.json", "--format=json"])).toEqual([
      "records",
      "--state",
      "s.json",
      "--format",
      "json",
    ]);
  });
  test("-state=FILE is accepted in Go style too", () => {
    expect(args(["records", "-state=s.json"])).toEqual(["records", "--state", "s.json"]);
  });
  test("unknown flags and positionals are unchanged", () => {
    expect(args(["-vv", "--frobnicate=3", "extra", "-"])).toEqual(["-vv", "--frobnicate=3", "extra", "-"]);
  });
  test("arguments after -- are not touched", () => {
    expect(args(["--", "-config=x"])).toEqual(["--", "-config=x"]);
  });
  test("no arguments, no output", () => {
    expect(normalizeArgs([])).toEqual({ args: [], warnings: [] });
  });
});
