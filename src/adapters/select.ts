/**
 * Picks the adapters of the runtime this process runs on. Each adapter is imported
 * dynamically, so a runtime loads only its own; bundlers inline all of them, which is safe
 * because adapters reach `Bun` and `Deno` only inside functions.
 *
 * @module
 */
import type { ZkClientFactory } from "../core/mesos/zk-client.ts";
import type { Platform } from "../core/platform.ts";

/** The Platform of the current runtime: Bun, then Deno, else Node. */
export async function detectPlatform(): Promise<Platform> {
  const runtime = globalThis as { Bun?: unknown; Deno?: unknown };
  if (typeof runtime.Bun !== "undefined") return (await import("./bun.ts")).bunPlatform;
  if (typeof runtime.Deno !== "undefined") return (await import("./deno.ts")).denoPlatform;
  return (await import("./node.ts")).nodePlatform;
}

/**
 * The ZooKeeper client factory for the leader detector: one adapter for every runtime
 * (`node-zookeeper-client` over `node:net`), loaded only when a caller needs ZooKeeper.
 */
export async function loadZkClientFactory(): Promise<ZkClientFactory> {
  return (await import("./zookeeper.ts")).createZkClient;
}
