/**
 * The `mesos-dns` command line: flags -> configuration -> the injected `serve` / `records`
 * actions. It only wires; it never exits the process itself and reads no global state, so tests
 * drive it with explicit `rawArgs` and fake dependencies.
 *
 * @module
 */

import { type ArgsDef, type CommandDef, defineCommand, renderUsage, runCommand } from "citty";
import { normalizeArgs } from "./cli-args.ts";
import { type Config, defaultConfig } from "./core/config/config.ts";
import { loadConfig } from "./core/config/config-load.ts";
import type { Platform } from "./core/platform.ts";

/** What the CLI needs from its host: a runtime, output lines and the actions it dispatches to. */
export interface CliDeps {
  platform: Platform;
  version: string;
  stdout(line: string): void;
  stderr(line: string): void;
  /** Runs the server until it stops; resolves to the exit status. */
  serve(config: Config, verbose: number): Promise<number>;
  /** Prints the records generated from a state file; resolves to the exit status. */
  records(options: { statePath: string; config: Config; format: "zone" | "json" }): Promise<number>;
}

/** Exit status for command-line and configuration errors. */
const USAGE_STATUS = 2;
/** Masters assumed by `records` without `--config`: the state file names the real leader anyway. */
const RECORDS_MASTERS = ["127.0.0.1:5050"];

const commonArgs = {
  verbose: {
    type: "string",
    description: "Verbosity: 1 verbose, 2 very verbose (-v alone means 1)",
    valueHint: "level",
  },
  version: { type: "boolean", description: "Print the version and exit" },
  help: { type: "boolean", alias: "h", description: "Show this help" },
} as const satisfies ArgsDef;

const serveArgs = {
  config: { type: "string", description: "Configuration file", default: "config.json", valueHint: "file" },
  ...commonArgs,
} as const satisfies ArgsDef;

const recordsArgs = {
  state: { type: "string", description: "Mesos master state JSON file (required)", valueHint: "file" },
  config: {
    type: "string",
    description: "Configuration file (default: built-in defaults)",
    valueHint: "file",
  },
  format: { type: "enum", options: ["zone", "json"], default: "zone", description: "Output format" },
  ...commonArgs,
} as const satisfies ArgsDef;

const SUBCOMMAND_ARGS: Record<string, ArgsDef> = { serve: serveArgs, records: recordsArgs };

/**
 * Runs the CLI on `rawArgs` (without the executable and script names) and resolves to the exit
 * status: 0 for `--version`/`--help`, 2 for a usage or configuration error, else the action's.
 */
export async function runCli(rawArgs: string[], deps: CliDeps): Promise<number> {
  const { args, warnings } = normalizeArgs(rawArgs);
  const outcome = { status: 0 };
  const main = mainCommand(deps, warnings, outcome);
  const scan = scanArgs(args);
  const sub = scan.sub === undefined ? undefined : await subCommand(main, scan.sub);
  if (scan.error !== undefined) return usageError(deps, scan.error, main, sub);
  if (scan.flags.has("help")) {
    for (const line of await usageLines(main, sub)) deps.stdout(line);
    return 0;
  }
  if (scan.flags.has("version")) {
    deps.stdout(deps.version);
    return 0;
  }
  await runCommand(main, { rawArgs: scan.ordered });
  return outcome.status;
}

function mainCommand(deps: CliDeps, argWarnings: string[], outcome: { status: number }): CommandDef<ArgsDef> {
  const serve = defineCommand({
    meta: { name: "serve", description: "Run the DNS and HTTP servers (the default command)" },
    args: serveArgs,
    async run({ args }) {
      const loaded = await loadConfig(deps.platform, args.config);
      if (!loaded.ok) {
        outcome.status = configError(deps, loaded.error.message);
        return;
      }
      for (const w of [...argWarnings, ...loaded.warnings]) deps.stderr(w);
      outcome.status = await deps.serve(loaded.config, Number(args.verbose ?? "0"));
    },
  });
  const records = defineCommand({
    meta: { name: "records", description: "Print the records a Mesos state file produces, then exit" },
    args: recordsArgs,
    async run({ args }) {
      let config: Config;
      if (args.config === undefined) {
        config = {
          ...defaultConfig(),
          Masters: [...RECORDS_MASTERS],
          SOASerial: Math.floor(Date.now() / 1000),
        };
      } else {
        const loaded = await loadConfig(deps.platform, args.config);
        if (!loaded.ok) {
          outcome.status = configError(deps, loaded.error.message);
          return;
        }
        argWarnings.push(...loaded.warnings);
        config = loaded.config;
      }
      for (const w of argWarnings) deps.stderr(w);
      const format = args.format === "json" ? "json" : "zone";
      outcome.status = await deps.records({ statePath: args.state ?? "", config, format });
    },
  });
  return defineCommand({
    meta: {
      name: "mesos-dns",
      version: deps.version,
      description: "DNS-based service discovery for Apache Mesos",
    },
    args: serveArgs,
    default: "serve",
    subCommands: { serve, records } as Record<string, CommandDef<ArgsDef>>,
  }) as CommandDef<ArgsDef>;
}

/** Exactly one line on stderr: the message, never a stack trace. */
function configError(deps: CliDeps, message: string): number {
  deps.stderr(message.replace(/\s*[\r\n]+\s*/g, " "));
  return USAGE_STATUS;
}

interface Scan {
  sub?: string;
  /** The arguments with the subcommand moved first, so flags may precede it. */
  ordered: string[];
  flags: Set<string>;
  error?: string;
}

/**
 * Checks the normalised arguments strictly (citty's parser accepts anything): every flag must
 * belong to the chosen command, value flags need a value, at most one positional (the command).
 */
function scanArgs(args: string[]): Scan {
  const flags = new Set<string>();
  const rest: string[] = [];
  const seen: Array<[string, string | undefined, string]> = [];
  let sub: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === "-h") {
      seen.push(["help", undefined, token]);
      rest.push(token);
      continue;
    }
    if (!token.startsWith("-") || token === "-" || token === "--") {
      if (token === "--" || sub !== undefined || !(token in SUBCOMMAND_ARGS)) {
        return { sub, ordered: args, flags, error: `unexpected argument "${token}"` };
      }
      sub = token;
      continue;
    }
    const eq = token.indexOf("=");
    const name = token.slice(token.startsWith("--") ? 2 : 1, eq < 0 ? undefined : eq);
    let value = eq < 0 ? undefined : token.slice(eq + 1);
    rest.push(token);
    if (eq < 0 && (name === "config" || name === "state" || name === "format" || name === "verbose")) {
      value = args[i + 1];
      if (value === undefined)
        return { sub, ordered: args, flags, error: `flag needs an argument: --${name}` };
      rest.push(value);
      i++;
    }
    seen.push([name, value, token]);
  }
  const known = SUBCOMMAND_ARGS[sub ?? "serve"]!;
  for (const [name, value, token] of seen) {
    const error = checkFlag(known, name, value, token, sub);
    if (error !== undefined) return { sub, ordered: args, flags, error };
    flags.add(name);
  }
  if (sub === "records" && !flags.has("state") && !flags.has("help") && !flags.has("version")) {
    return { sub, ordered: args, flags, error: "records: --state FILE is required" };
  }
  return { sub, ordered: sub === undefined ? rest : [sub, ...rest], flags };
}

function checkFlag(
  known: ArgsDef,
  name: string,
  value: string | undefined,
  token: string,
  sub: string | undefined,
): string | undefined {
  if (!token.startsWith("--") && token !== "-h") return `flag provided but not defined: ${token}`;
  if (!(name in known)) {
    const where = sub === undefined ? "" : ` for "${sub}"`;
    return `flag provided but not defined${where}: ${token.split("=")[0]}`;
  }
  if (name === "verbose" && !/^[0-9]+$/.test(value ?? "")) {
    return `invalid value ${JSON.stringify(value)} for flag -v: expected a non-negative integer`;
  }
  if (name === "format" && value !== "zone" && value !== "json") {
    return `invalid value ${JSON.stringify(value)} for flag --format: expected "zone" or "json"`;
  }
  return undefined;
}

async function subCommand(main: CommandDef<ArgsDef>, name: string): Promise<CommandDef<ArgsDef> | undefined> {
  const subs = (await main.subCommands) as Record<string, CommandDef<ArgsDef>> | undefined;
  return subs?.[name];
}

async function usageLines(
  main: CommandDef<ArgsDef>,
  sub: CommandDef<ArgsDef> | undefined,
): Promise<string[]> {
  const text = sub === undefined ? await renderUsage(main) : await renderUsage(sub, main);
  // citty colours its output unless NO_COLOR/CI is set; plain text suits logs and files.
  return text
    .replace(/\x1b\[[0-9;]*m/g, "")
    .split("\n")
    .map((line) => line.trimEnd());
}

async function usageError(
  deps: CliDeps,
  message: string,
  main: CommandDef<ArgsDef>,
  sub: CommandDef<ArgsDef> | undefined,
): Promise<number> {
  deps.stderr(`mesos-dns: ${message}`);
  for (const line of await usageLines(main, sub)) deps.stderr(line);
  return USAGE_STATUS;
}
