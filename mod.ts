/**
 * Mesos-DNS in TypeScript: DNS-based service discovery for Apache Mesos, a drop-in
 * replacement for the Go Mesos-DNS.
 *
 * Run it: `bun run mod.ts -config=config.json`, or `deno run --allow-net ... mod.ts`,
 * or the single executable `mesos-dns`. Use it as a library:
 *
 * @example Generate the records of a Mesos state document
 * ```ts
 * import { defaultConfig, generateRecords, parseStateText } from "./mod.ts";
 *
 * const parsed = parseStateText(await Bun.file("tests/fixtures/fake-state.json").text());
 * if (!parsed.ok) throw new Error(parsed.error);
 * const config = { ...defaultConfig(), Masters: ["127.0.0.1:5050"] };
 * const records = generateRecords({
 *   state: parsed.state,
 *   config,
 *   masters: config.Masters,
 *   resolved: new Map(),
 *   localAddresses: [],
 * });
 * console.log(records.a.get("leader.mesos.")); // [ "127.0.0.1" ]
 * ```
 *
 * @example Serve DNS and HTTP from a config object, then stop
 * ```ts
 * import { defaultConfig, detectPlatform, startApp, staticDetector } from "./mod.ts";
 *
 * const config = {
 *   ...defaultConfig(),
 *   Masters: ["127.0.0.1:5050"],
 *   Port: 8053,
 *   HttpPort: 8123,
 *   Listener: "127.0.0.1",
 *   HTTPListener: "127.0.0.1",
 *   ExternalOn: false,
 * };
 * const app = await startApp({
 *   platform: await detectPlatform(),
 *   config,
 *   version: "embedded",
 *   log: console,
 *   detector: staticDetector(config),
 *   onFatal: (message) => console.error(message),
 * });
 * // ... app.store.current() holds the loaded records once the master answered.
 * await app.stop();
 * ```
 *
 * For leader detection through ZooKeeper, pass
 * `zkDetector({ servers, path: "/mesos", masters: null, createClient: await loadZkClientFactory() })`
 * as `detector`.
 *
 * @module
 */
import { exitProcess, processArgs } from "./src/adapters/process.ts";
import { main } from "./src/main.ts";

export { detectPlatform, loadZkClientFactory } from "./src/adapters/select.ts";
export type { App, AppOptions, Logger } from "./src/core/app.ts";
export { startApp } from "./src/core/app.ts";
export type { Config } from "./src/core/config/config.ts";
export { defaultConfig } from "./src/core/config/config.ts";
export { loadConfig } from "./src/core/config/config-load.ts";
export { staticDetector } from "./src/core/mesos/master-detector.ts";
export { parseState, parseStateText } from "./src/core/mesos/state.ts";
export type { MesosState } from "./src/core/mesos/state-model.ts";
export { zkDetector } from "./src/core/mesos/zk-detector.ts";
export type { Platform } from "./src/core/platform.ts";
export type { RecordSet } from "./src/core/records/record-set.ts";
export { generateRecords } from "./src/core/records/records.ts";
export { zoneText } from "./src/core/records/zone-text.ts";
export { main } from "./src/main.ts";

if ((import.meta as { main?: boolean }).main) {
  exitProcess(await main(processArgs()));
}
