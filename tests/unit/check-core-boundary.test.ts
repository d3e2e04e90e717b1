import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { checkLayout } from "../../scripts/check-core-boundary.ts";

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A throw-away tree with the folders of the real core and the given files. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "layout-"));
  roots.push(root);
  for (const folder of [
    "net",
    "config",
    "dns",
    "records",
    "mesos",
    "forward",
    "http",
    "metrics",
    "refresh",
  ]) {
    mkdirSync(join(root, "src/core", folder), { recursive: true });
  }
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("checkLayout()", () => {
  test("checkLayout() accepts the repository as it is", () => {
    expect(checkLayout(join(import.meta.dir, "../.."))).toEqual([]);
  });

  test("checkLayout() names the file, the import and the direction it breaks", () => {
    const root = tree({
      "src/core/records/record-set.ts": "export const x = 1;\n",
      "src/core/dns/codec.ts": 'import { x } from "../records/record-set.ts";\nexport const y = x;\n',
    });
    expect(checkLayout(root)).toEqual([
      'src/core/dns/codec.ts: imports "../records/record-set.ts": core/dns may not import core/records (it may import: net, .)',
    ]);
  });

  test("checkLayout() refuses a private file imported from another folder, and allows it inside", () => {
    const root = tree({
      "src/core/mesos/_schema.ts": "export const s = 1;\n",
      "src/core/mesos/state.ts": 'import { s } from "./_schema.ts";\nexport const t = s;\n',
      "src/core/records/records.ts": 'import { s } from "../mesos/_schema.ts";\nexport const r = s;\n',
    });
    expect(checkLayout(root)).toEqual([
      'src/core/records/records.ts: imports "../mesos/_schema.ts": src/core/mesos/_schema.ts is private to src/core/mesos/',
    ]);
  });

  test("checkLayout() reports an import circle, a runtime global and a runtime package", () => {
    const root = tree({
      "src/core/net/a.ts": 'import { b } from "./b.ts";\nexport const a = () => b;\n',
      "src/core/net/b.ts": 'import { a } from "./a.ts";\nexport const b = () => a;\n',
      "src/core/net/c.ts":
        'import { readFileSync } from "node:fs";\nexport const c = () => process.exit(readFileSync.length);\n',
    });
    const problems = checkLayout(root);
    expect(problems).toContain(
      'src/core/net/c.ts: imports "node:fs": src/core imports only runtime-neutral packages',
    );
    expect(problems).toContain(
      'src/core/net/c.ts:2: uses the runtime global "process": src/core is runtime-free',
    );
    expect(problems).toContain("import circle: src/core/net/a.ts -> src/core/net/b.ts -> src/core/net/a.ts");
    expect(problems).toHaveLength(3);
  });

  test("checkLayout() refuses a new folder missing from the direction table, and the wiring imported", () => {
    const root = tree({
      "src/core/app.ts": "export const app = 1;\n",
      "src/core/extra/thing.ts": 'import { app } from "../app.ts";\nexport const t = app;\n',
    });
    expect(checkLayout(root)).toEqual([
      'src/core/extra/thing.ts: imports "../app.ts": only the app wiring may import src/core/app.ts',
      "src/core/extra/: a folder missing from the direction table in scripts/check-core-boundary.ts",
    ]);
  });
});
