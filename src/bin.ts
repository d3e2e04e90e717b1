/**
 * Executable entry for the compiled binary and the Node.js bundle: runs the CLI with the
 * process arguments and exits with its status.
 *
 * @module
 */
import { exitProcess, processArgs } from "./adapters/process.ts";
import { main } from "./main.ts";

exitProcess(await main(processArgs()));
