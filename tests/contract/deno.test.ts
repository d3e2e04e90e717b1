/**
 * The contract suite on Deno: `run-cases.ts` run by the npm-installed `deno` with the
 * narrowest permissions that pass; one test per case reads its line of the run's output.
 */
import { afterAll } from "bun:test";
import { join } from "node:path";
import { FIXTURE_ENV } from "./_case-kit.ts";
import { type Fixtures, startFixtures } from "./_fixtures.ts";
import { registerCases } from "./_register.ts";
import { type SpawnedResults, spawnCases } from "./_spawned.ts";

const ROOT = join(import.meta.dir, "..", "..");
let fixtures: Fixtures | undefined;
let run: Promise<SpawnedResults> | undefined;

/** The permissions the Deno adapter needs for this suite (reported in the adapter's docs). */
export function denoFlags(readDir: string): string[] {
  return [
    "--allow-net=127.0.0.1,[::1],[::],localhost",
    `--allow-read=${readDir}`,
    `--allow-env=${Object.values(FIXTURE_ENV).join(",")},CONTRACT_SURELY_UNSET_VARIABLE`,
    "--allow-sys=networkInterfaces",
  ];
}

async function runOnDeno(): Promise<SpawnedResults> {
  fixtures = await startFixtures();
  const deno = join(ROOT, "node_modules", ".bin", "deno");
  return spawnCases(
    [deno, "run", ...denoFlags(fixtures.dir), join(import.meta.dir, "run-cases.ts")],
    fixtures.env,
  );
}

afterAll(async () => {
  await run?.catch(() => {});
  await fixtures?.stop();
});

registerCases("deno", async (c) => {
  run ??= runOnDeno();
  return (await run)(c.name);
});
