/**
 * The process logger: consola with one reporter of our own that writes exactly one line per
 * event, `2026-11-26T12:00:00.000Z ERROR message`, errors and warnings to stderr and the rest
 * to stdout (as upstream), with control characters escaped so that text from a state
 * document or a query can never forge a line.
 *
 * @module
 */
import { type ConsolaReporter, createConsola, LogLevels, type LogObject } from "consola";
import { escapeControls } from "./core/log/log-text.ts";
import type { Logger } from "./core/log/logger.ts";

const LABELS: Record<string, string> = {
  fatal: "FATAL",
  error: "ERROR",
  warn: "WARN",
  info: "INFO",
  success: "INFO",
  log: "INFO",
  debug: "DEBUG",
  trace: "TRACE",
  verbose: "TRACE",
};

/** Formats one event as a single line. */
export function formatLine(logObj: Pick<LogObject, "type" | "args" | "date">): string {
  const text = logObj.args
    .map((a: unknown) => (a instanceof Error ? a.message : typeof a === "string" ? a : JSON.stringify(a)))
    .join(" ");
  const label = LABELS[logObj.type] ?? logObj.type.toUpperCase();
  return `${(logObj.date ?? new Date()).toISOString()} ${label} ${escapeControls(text)}`;
}

function lineReporter(write: { out(line: string): void; err(line: string): void }): ConsolaReporter {
  return {
    log(logObj) {
      const line = formatLine(logObj);
      if (logObj.level <= LogLevels.warn) write.err(line);
      else write.out(line);
    },
  };
}

/** The logger for `-v=N`: 0 info and above, 1 adds debug, 2 adds trace. */
export function createLogger(
  verbose: number,
  write = { out: (l: string) => console.log(l), err: (l: string) => console.error(l) },
): Logger {
  const level = verbose >= 2 ? LogLevels.trace : verbose === 1 ? LogLevels.debug : LogLevels.info;
  const consola = createConsola({ level, reporters: [lineReporter(write)] });
  return {
    info: (m) => consola.info(m),
    warn: (m) => consola.warn(m),
    error: (m) => consola.error(m),
    debug: (m) => consola.debug(m),
  };
}
