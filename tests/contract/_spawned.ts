/**
 * Runs `run-cases.ts` in another runtime (once per test file, on first use) and collects its
 * JSON lines into results by case name.
 *
 * @module
 */
import type { CaseResult } from "./platform.case.ts";

/** Outcome of one case in the spawned run; a missing line becomes a failure with stderr. */
export type SpawnedResults = (name: string) => CaseResult;

/** Spawns `cmd` with `env` and parses one CaseResult per stdout line. */
export async function spawnCases(cmd: string[], env: Record<string, string>): Promise<SpawnedResults> {
  const proc = Bun.spawn(cmd, {
    env: { ...process.env, ...env, NO_COLOR: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  await proc.exited;
  const tail = `\n--- exit ${proc.exitCode}, stderr of ${cmd[0]} ---\n${stderr.slice(-3000)}`;
  const results = new Map<string, CaseResult>();
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const r = JSON.parse(line) as CaseResult;
    results.set(r.name, r.ok ? r : { ...r, error: `${r.error}${tail}` });
  }
  return (name) => results.get(name) ?? { name, ok: false, error: `no result line for this case${tail}` };
}
