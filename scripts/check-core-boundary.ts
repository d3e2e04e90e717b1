/**
 * Fails when `src/core` reaches for a runtime: an import other than core files and the
 * allowed runtime-neutral packages, or a use of `process`, `Buffer`, `Bun` or `Deno`.
 * Run by `.ci/run`: `bun scripts/check-core-boundary.ts`.
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const CORE = join(import.meta.dir, "..", "src", "core");
const ALLOWED_PACKAGES = new Set(["dns-packet", "valibot", "hono", "lru-cache"]);
const RUNTIME_GLOBAL = /(?<![\w.$])(process|Buffer|Bun|Deno)\s*[.[(]/;

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}

/** Drops comments and string contents so that prose and messages never match. */
function codeOnly(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:])\/\/.*$/gm, "$1")
    .replace(/`(?:\\.|[^`\\])*`/g, "``");
}

const problems: string[] = [];
for (const path of files(CORE)) {
  const source = readFileSync(path, "utf8");
  const name = relative(join(CORE, "..", ".."), path);
  const specs = [
    ...source.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gm),
    ...source.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
    ...source.matchAll(/\bimport\(\s*["']([^"']+)["']/g),
  ].map((m) => m[1]!);
  for (const spec of specs) {
    if (spec.startsWith("./") || spec.startsWith("../")) {
      if (spec.includes("/adapters/")) problems.push(`${name}: imports an adapter: "${spec}"`);
      continue;
    }
    const pkg = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
    if (!ALLOWED_PACKAGES.has(pkg)) problems.push(`${name}: imports "${spec}", which is not runtime-neutral`);
  }
  const code = codeOnly(source);
  code.split("\n").forEach((line, i) => {
    const hit = RUNTIME_GLOBAL.exec(line);
    if (hit) problems.push(`${name}:${i + 1}: uses the runtime global "${hit[1]}"`);
  });
}

if (problems.length > 0) {
  for (const p of problems) console.error(p);
  console.error(`core boundary: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log("core boundary: src/core imports nothing runtime-specific");
