/**
 * Maps upstream's Go-style command line (`-config=FILE`, `-v=1`, glog flags) onto the
 * citty-style flags of `cli.ts`, so existing unit files and scripts keep working (docs/spec.md §1.1).
 *
 * @module
 */

/** Flags of this CLI that take a value; both `-name` and `--name` spellings are accepted. */
const VALUE_FLAGS = new Set(["config", "state", "format"]);
/** glog's flags: accepted by upstream, without visible effect; dropped here. */
const GLOG_BOOL = new Set(["logtostderr", "alsologtostderr"]);
const GLOG_VALUE = new Set(["stderrthreshold", "log_dir", "log_backtrace_at", "vmodule"]);
const GO_TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const GO_FALSE = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/**
 * Rewrites Go-style flags: `-config=F`/`-config F`/`--config=F` become `--config F`,
 * `-version` becomes `--version`, `-v=N`/`-v N`/bare `-v` become `--verbose N` (bare means 1,
 * docs/spec.md §10 #28), glog flags are dropped with a warning, `-help` becomes `--help`.
 * Everything else, including subcommand names and unknown flags, is passed through unchanged.
 */
export function normalizeArgs(argv: string[]): { args: string[]; warnings: string[] } {
  const args: string[] = [];
  const warnings: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === "--") {
      args.push(...argv.slice(i));
      break;
    }
    const m = /^--?([^=-][^=]*)(?:=([\s\S]*))?$/.exec(token);
    if (!m) {
      args.push(token);
      continue;
    }
    const name = m[1]!;
    const inline = m[2];
    const next = argv[i + 1];
    if (VALUE_FLAGS.has(name)) {
      if (inline !== undefined) args.push(`--${name}`, inline);
      else if (next !== undefined) {
        // Go's flag package takes the next argument as the value whatever it looks like.
        args.push(`--${name}`, next);
        i++;
      } else args.push(`--${name}`);
    } else if (name === "v" || name === "verbose") {
      if (inline !== undefined) args.push("--verbose", inline);
      else if (next !== undefined && /^[0-9]+$/.test(next)) {
        args.push("--verbose", next);
        i++;
      } else args.push("--verbose", "1");
    } else if (name === "version") {
      if (inline === undefined || GO_TRUE.has(inline)) args.push("--version");
      else if (!GO_FALSE.has(inline)) args.push(token);
    } else if (name === "help") {
      args.push("--help");
    } else if (GLOG_BOOL.has(name)) {
      warnings.push(`flag -${name} is accepted for compatibility and has no effect`);
    } else if (GLOG_VALUE.has(name)) {
      if (inline === undefined && next !== undefined) i++;
      warnings.push(`flag -${name} is accepted for compatibility and has no effect`);
    } else {
      args.push(token);
    }
  }
  return { args, warnings };
}
