/**
 * The contract suite on Node: `run-cases.ts` bundled with `Bun.build({ target: "node" })`
 * and run by `node`; one test per case reads its line of the run's output.
 */
import { afterAll } from "bun:test";
import { join } from "node:path";
import { type Fixtures, startFixtures } from "./_fixtures.ts";
import { registerCases } from "./_register.ts";
import { type SpawnedResults, spawnCases } from "./_spawned.ts";

let fixtures: Fixtures | undefined;
let run: Promise<SpawnedResults> | undefined;

async function runOnNode(): Promise<SpawnedResults> {
  fixtures = await startFixtures();
  const built = await Bun.build({
    entrypoints: [join(import.meta.dir, "run-cases.ts")],
    target: "node",
    format: "esm",
    outdir: fixtures.dir,
    naming: "bundle.mjs",
  });
  if (!built.success) throw new Error(`Bun.build failed: ${built.logs.join("\n")}`);
  return spawnCases(["node", join(fixtures.dir, "bundle.mjs")], fixtures.env);
}

afterAll(async () => {
  await run?.catch(() => {});
  await fixtures?.stop();
});

registerCases("node", async (c) => {
  run ??= runOnNode();
  return (await run)(c.name);
});
