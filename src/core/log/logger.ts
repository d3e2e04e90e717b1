/**
 * The one logger shape of the core; the CLI backs it with consola (src/logger.ts). Parts
 * that log only some levels take a `Pick` of it.
 *
 * @module
 */

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What most parts need: no debug lines. */
export type WarnLogger = Pick<Logger, "info" | "warn" | "error">;
