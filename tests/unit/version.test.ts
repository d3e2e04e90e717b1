import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VERSION } from "../../src/version.ts";

describe("VERSION", () => {
  test("from source is package.json's version with -dev", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dir, "..", "..", "package.json"), "utf8")) as {
      version: string;
    };
    expect(VERSION).toBe(`${pkg.version}-dev`);
  });
});
