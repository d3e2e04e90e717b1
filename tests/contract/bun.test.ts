/**
 * The contract suite on Bun, in-process: one test per case against `bunPlatform`.
 */
import { afterAll, beforeAll } from "bun:test";
import { bunPlatform } from "../../src/adapters/bun.ts";
import { loadZkClientFactory } from "../../src/adapters/select.ts";
import { type Fixtures, startFixtures } from "./_fixtures.ts";
import { registerCases } from "./_register.ts";
import { type CaseAdapters, runCase } from "./platform.case.ts";

let fixtures: Fixtures | undefined;
let adapters: CaseAdapters = {};

beforeAll(async () => {
  fixtures = await startFixtures();
  Object.assign(process.env, fixtures.env);
  adapters = { createZkClient: await loadZkClientFactory() };
}, 30_000);

afterAll(async () => {
  for (const name of Object.keys(fixtures?.env ?? {})) delete process.env[name];
  await fixtures?.stop();
});

registerCases("bun", (c) => runCase(c, bunPlatform, adapters));
