import { describe, expect, test } from "bun:test";
import { createLogger, formatLine } from "../../src/logger.ts";

describe("logger", () => {
  test("formatLine() writes an ISO time, the level and the message", () => {
    const line = formatLine({
      type: "warn",
      args: ["Cannot load state"],
      date: new Date(Date.UTC(2026, 10, 26)),
    });
    expect(line).toBe("2026-11-26T00:00:00.000Z WARN Cannot load state");
  });

  test("createLogger() sends errors and warnings to stderr, info to stdout, debug only with -v", () => {
    const out: string[] = [];
    const err: string[] = [];
    const write = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    const quiet = createLogger(0, write);
    quiet.error("e");
    quiet.warn("w");
    quiet.info("i");
    quiet.debug("d");
    expect(err.map((l) => l.split(" ").slice(1).join(" "))).toEqual(["ERROR e", "WARN w"]);
    expect(out.map((l) => l.split(" ").slice(1).join(" "))).toEqual(["INFO i"]);
    createLogger(1, write).debug("now shown");
    expect(out.at(-1)).toEndWith("DEBUG now shown");
  });
});
