/**
 * Command-line arguments and process exit for whichever runtime runs us.
 *
 * @module
 */
interface DenoProcess {
  readonly args: string[];
  exit(code: number): never;
}

function deno(): DenoProcess | undefined {
  return (globalThis as { Deno?: DenoProcess }).Deno;
}

/** Arguments after the executable and script names. */
export function processArgs(): string[] {
  const d = deno();
  if (d) return [...d.args];
  // A `bun build --compile` executable has no script name: argv is [exe, ...args] there,
  // but Bun keeps the same [exe, "/$bunfs/root/...", ...] shape, so slicing 2 holds everywhere.
  return process.argv.slice(2);
}

/** Ends the process with `code`, letting pending stdout/stderr writes drain first on Node. */
export function exitProcess(code: number): never {
  const d = deno();
  if (d) d.exit(code);
  process.exit(code);
}
