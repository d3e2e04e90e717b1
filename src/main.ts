/**
 * Process entry: picks the runtime adapter, creates the logger, and hands the
 * command line to the CLI. Only this file, `mod.ts` and the adapters touch the runtime.
 *
 * @module
 */
import { detectPlatform, loadZkClientFactory } from "./adapters/select.ts";
import { runCli } from "./cli.ts";
import { runRecordsCommand } from "./commands/records.ts";
import { runServe } from "./commands/serve.ts";
import { createLogger } from "./logger.ts";
import { VERSION } from "./version.ts";

/** Runs the CLI with `args` (without the executable and script) and returns the exit status. */
export async function main(args: string[]): Promise<number> {
  const platform = await detectPlatform();
  return runCli(args, {
    platform,
    version: VERSION,
    stdout: (line) => console.log(line),
    stderr: (line) => console.error(line),
    serve: (config, verbose) =>
      runServe(config, {
        platform,
        version: VERSION,
        log: createLogger(verbose),
        zookeeper: loadZkClientFactory,
      }),
    records: (options) =>
      runRecordsCommand(options, {
        platform,
        stdout: (text) => console.log(text),
        stderr: (line) => console.error(line),
      }),
  });
}
