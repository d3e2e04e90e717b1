/**
 * The Platform contract suite (and the ZooKeeper client's, the Platform's sibling in the
 * adapter selector): runtime-neutral cases, run in-process under Bun
 * (`bun.test.ts`), as a Node bundle (`node.test.ts`) and as a Deno script (`deno.test.ts`),
 * each through `run-cases.ts` or the same `runCase`.
 *
 * @module
 */
import type { ContractCase } from "./_case-kit.ts";
import { httpCases } from "./_http.case.ts";
import { socketCases } from "./_socket.case.ts";
import { systemCases } from "./_system.case.ts";
import { zookeeperCases } from "./_zookeeper.case.ts";

export type { Assert, CaseAdapters, CaseResult, ContractCase } from "./_case-kit.ts";
export { runCase } from "./_case-kit.ts";

/** Every case, in a stable order. */
export const cases: readonly ContractCase[] = [
  ...socketCases,
  ...httpCases,
  ...systemCases,
  ...zookeeperCases,
];
