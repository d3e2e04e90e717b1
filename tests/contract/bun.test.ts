/**
 * The contract suite on Bun, in-process: one test per case against `bunPlatform`.
 */
import { afterAll, beforeAll } from "bun:test";
import { bunPlatform } from "../../src/adapters/bun.ts";
import { type Fixtures, startFixtures } from "./_fixtures.ts";
import { registerCases } from "./_register.ts";
import { runCase } from "./platform.case.ts";

let fixtures: Fixtures | undefined;

beforeAll(async () => {
  fixtures = await startFixtures();
  Object.assign(process.env, fixtures.env);
});

afterAll(async () => {
  for (const name of Object.keys(fixtures?.env ?? {})) delete process.env[name];
  await fixtures?.stop();
});

registerCases("bun", (c) => runCase(c, bunPlatform));
