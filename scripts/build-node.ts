/**
 * Bundles the CLI into one JavaScript file for Node.js 20 (which cannot run TypeScript):
 * `build/mesos-dns.mjs`, run as `node build/mesos-dns.mjs -config=config.json`.
 *
 * @module
 */
import { join } from "node:path";

const root = join(import.meta.dir, "..");

/** Builds the Node bundle into `outdir` (default `build/`) and returns its path. */
export async function buildNodeBundle(outdir = join(root, "build"), version?: string): Promise<string> {
  const result = await Bun.build({
    entrypoints: [join(root, "src", "bin.ts")],
    outdir,
    target: "node",
    format: "esm",
    naming: "mesos-dns.mjs",
    define: version ? { MESOS_DNS_VERSION: JSON.stringify(version) } : {},
  });
  if (!result.success) {
    throw new Error(`Node bundle failed:\n${result.logs.map(String).join("\n")}`);
  }
  return join(outdir, "mesos-dns.mjs");
}

if (import.meta.main) {
  const path = await buildNodeBundle();
  console.log(`built ${path}`);
}
