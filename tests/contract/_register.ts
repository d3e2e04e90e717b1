/**
 * Registers one bun:test test per contract case for a runtime, with declared gaps and
 * missing tools shown as skips whose reason is printed (a missing tool fails when CI=true).
 *
 * @module
 */
import { test } from "bun:test";
import type { RuntimeName } from "../../src/core/platform.ts";
import { missingTool } from "./_fixtures.ts";
import { type CaseResult, type ContractCase, cases } from "./platform.case.ts";

/**
 * One test per case; `result` yields the outcome of the case on `runtime`. `usesTools` is
 * false for the memory platform, whose fixtures need no external tool.
 */
export function registerCases(
  runtime: RuntimeName,
  result: (c: ContractCase) => Promise<CaseResult | undefined>,
  usesTools = true,
): void {
  for (const c of cases) {
    const gap = c.skip?.[runtime];
    if (gap !== undefined) {
      // A declared gap: the case does not apply to this runtime. Printed, not registered, so
      // that a CI run has no skipped test while the gap stays visible in its log.
      console.warn(`[contract:${runtime}] not applicable "${c.name}": ${gap}`);
      continue;
    }
    const missing = process.env.CI === "true" || !usesTools ? undefined : missingTool(c);
    if (missing !== undefined) {
      console.warn(`[contract:${runtime}] skipped "${c.name}": ${missing}`);
      test.skip(`${c.name} [${runtime}: skipped, ${missing}]`, () => {});
      continue;
    }
    test(`${c.name} [${runtime}]`, async () => {
      const r = await result(c);
      if (r === undefined) throw new Error(`no result for "${c.name}" from the ${runtime} run`);
      if (!r.ok) throw new Error(r.error ?? "failed");
    }, 30_000);
  }
}
