/**
 * Runs every contract case against the platform of the current runtime and prints one JSON
 * line per case (`{name, ok, error?, skipped?}`); exits 1 when any case failed. Spawned by
 * `node.test.ts` (as a Node bundle) and `deno.test.ts`; fixtures come from the environment.
 *
 * @module
 */
import { detectPlatform, loadZkClientFactory } from "../../src/adapters/select.ts";
import { cases, runCase } from "./platform.case.ts";

const platform = await detectPlatform();
const adapters = { createZkClient: await loadZkClientFactory() };
let failed = 0;
for (const c of cases) {
  const result = await runCase(c, platform, adapters);
  if (!result.ok) failed++;
  console.log(JSON.stringify(result));
}
const code = failed === 0 ? 0 : 1;
const deno = (globalThis as { Deno?: { exit(code: number): never } }).Deno;
// Exit explicitly: a socket a runtime cannot cancel (Bun's pending dial) must not hold the run.
if (deno !== undefined) deno.exit(code);
else process.exit(code);
