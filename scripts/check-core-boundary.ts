/**
 * Checks the layout rules of `src/` (docs/architecture.md), each failure naming the file, the
 * import and the rule it breaks:
 *
 * 1. `src/core` imports nothing runtime-specific: only core files and runtime-neutral
 *    packages, no `process`, `Buffer`, `Bun` or `Deno` global, never an adapter.
 * 2. Folders of `src/core` import each other only in the directions of {@link MAY_IMPORT}.
 * 3. A `_`-prefixed file is private to its folder: a file in another folder never imports it.
 * 4. No import circle among the files of `src/`.
 *
 * Run by `.ci/run`: `bun scripts/check-core-boundary.ts`; `--root DIR` checks another tree.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";

/**
 * Which folders of `src/core` each folder may import ("." is the top: app wiring and the
 * platform contract). A folder always imports its own files.
 */
export const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  ".": ["net", "log", "time", "config", "metrics", "dns", "records", "mesos", "forward", "http", "refresh"],
  net: [],
  log: [],
  time: [],
  config: ["net", "log", "."],
  metrics: ["records"],
  dns: ["net", "log", "."],
  records: ["mesos", "dns", "config", "net", "log"],
  mesos: ["config", "net", "log", "time", "."],
  forward: ["dns", "config", "net", "log", "time", "."],
  http: ["records", "metrics", "config", "net", "log"],
  refresh: ["mesos", "records", "config", "net", "log", "time", "."],
};
/** Top-level files of `src/core` other folders may import (the contract, never the wiring). */
const TOP_IMPORTABLE = new Set(["platform.ts"]);
const ALLOWED_PACKAGES = new Set(["dns-packet", "valibot", "hono"]);
const RUNTIME_GLOBAL = /(?<![\w.$])(process|Buffer|Bun|Deno)\s*[.[(]/;

function* files(dir: string): Generator<string> {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) yield path;
  }
}

/** Drops comments and string contents so that prose and messages never match. */
function codeOnly(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:])\/\/.*$/gm, "$1")
    .replace(/`(?:\\.|[^`\\])*`/g, "``");
}

function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "");
  return [
    ...code.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gm),
    ...code.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
    ...code.matchAll(/\bimport\(\s*["']([^"']+)["']/g),
  ].map((m) => m[1]!);
}

/** The folder of a core file relative to `src/core` ("." for the top). */
function folderOf(core: string, path: string): string {
  const rel = relative(core, dirname(path));
  return rel === "" ? "." : rel.split("/")[0]!;
}

export function checkLayout(root: string): string[] {
  const src = join(root, "src");
  const core = join(src, "core");
  const problems: string[] = [];
  const graph = new Map<string, string[]>();
  for (const path of files(src)) {
    const name = relative(root, path);
    const inCore = path.startsWith(`${core}/`);
    const edges: string[] = [];
    graph.set(path, edges);
    const source = readFileSync(path, "utf8");
    for (const spec of importsOf(source)) {
      if (!spec.startsWith("./") && !spec.startsWith("../")) {
        const pkg = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
        if (inCore && !ALLOWED_PACKAGES.has(pkg)) {
          problems.push(`${name}: imports "${spec}": src/core imports only runtime-neutral packages`);
        }
        continue;
      }
      const target = resolve(dirname(path), spec);
      if (!existsSync(target)) {
        problems.push(`${name}: imports "${spec}", which does not exist`);
        continue;
      }
      edges.push(target);
      const targetName = relative(root, target);
      // Rule 3: `_` files are private to their folder.
      if (basename(target).startsWith("_") && dirname(target) !== dirname(path)) {
        problems.push(
          `${name}: imports "${spec}": ${targetName} is private to ${relative(root, dirname(target))}/`,
        );
      }
      if (!inCore) continue;
      if (!target.startsWith(`${core}/`)) {
        problems.push(`${name}: imports "${spec}": src/core never imports outside itself (${targetName})`);
        continue;
      }
      // Rule 2: directions between folders.
      const from = folderOf(core, path);
      const to = folderOf(core, target);
      if (from === to) continue;
      if (to === "." && !TOP_IMPORTABLE.has(basename(target))) {
        problems.push(`${name}: imports "${spec}": only the app wiring may import ${targetName}`);
      } else if (!(MAY_IMPORT[from] ?? []).includes(to)) {
        const allowed = (MAY_IMPORT[from] ?? []).join(", ") || "nothing";
        problems.push(
          `${name}: imports "${spec}": core/${from} may not import core/${to} (it may import: ${allowed})`,
        );
      }
    }
    if (inCore) {
      codeOnly(source)
        .split("\n")
        .forEach((line, i) => {
          const hit = RUNTIME_GLOBAL.exec(line);
          if (hit)
            problems.push(`${name}:${i + 1}: uses the runtime global "${hit[1]}": src/core is runtime-free`);
        });
    }
  }
  for (const cycle of cycles(graph)) {
    problems.push(`import circle: ${cycle.map((p) => relative(root, p)).join(" -> ")}`);
  }
  for (const folder of readdirSync(core, { withFileTypes: true })) {
    if (folder.isDirectory() && !(folder.name in MAY_IMPORT)) {
      problems.push(
        `src/core/${folder.name}/: a folder missing from the direction table in scripts/check-core-boundary.ts`,
      );
    }
  }
  return problems;
}

/** Each circle once, found by depth-first search (grey = on the current path). */
function cycles(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, "grey" | "black">();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string) => {
    state.set(node, "grey");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const s = state.get(next);
      if (s === "grey") found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(node, "black");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

if (import.meta.main) {
  const at = process.argv.indexOf("--root");
  const root = at > 0 ? resolve(process.argv[at + 1]!) : join(import.meta.dir, "..");
  const problems = checkLayout(root);
  if (problems.length > 0) {
    for (const p of problems) console.error(p);
    console.error(`layout check: ${problems.length} problem(s); the rules are in docs/architecture.md`);
    process.exit(1);
  }
  console.log("layout check: runtime-free core, folder directions, private files and no import circle hold");
}
