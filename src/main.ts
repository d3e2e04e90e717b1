/**
 * Process entry: picks the runtime adapter, backs the logger with consola, and hands the
 * command line to the CLI. Only this file, `mod.ts` and the adapters touch the runtime.
 *
 * @module
 */
import { createConsola, LogLevels } from "consola";
import { detectPlatform } from "./adapters/select.ts";
import { runCli } from "./cli.ts";
import { runRecordsCommand } from "./commands/records.ts";
import { runServe } from "./commands/serve.ts";
import type { Logger } from "./core/app.ts";
import { VERSION } from "./version.ts";

function logger(verbose: number): Logger {
  const level = verbose >= 2 ? LogLevels.trace : verbose === 1 ? LogLevels.debug : LogLevels.info;
  const consola = createConsola({ level, formatOptions: { date: true, colors: false } });
  return {
    info: (m) => consola.info(m),
    warn: (m) => consola.warn(m),
    error: (m) => consola.error(m),
    debug: (m) => consola.debug(m),
  };
}

/** Runs the CLI with `args` (without the executable and script) and returns the exit status. */
export async function main(args: string[]): Promise<number> {
  const platform = await detectPlatform();
  return runCli(args, {
    platform,
    version: VERSION,
    stdout: (line) => console.log(line),
    stderr: (line) => console.error(line),
    serve: (config, verbose) => runServe(config, { platform, version: VERSION, log: logger(verbose) }),
    records: (options) =>
      runRecordsCommand(options, {
        platform,
        stdout: (text) => console.log(text),
        stderr: (line) => console.error(line),
      }),
  });
}
