/**
 * The contract suite on the memory platform, in-process. Its fixtures live in the virtual
 * world: a file map, an environment map and an "HTTPS" server (no TLS there).
 */
import { afterAll, beforeAll } from "bun:test";
import { memoryPlatform } from "../../src/adapters/memory.ts";
import type { HttpServer } from "../../src/core/platform.ts";
import { FIXTURE_ENV } from "./_case-kit.ts";
import { registerCases } from "./_register.ts";
import { runCase } from "./platform.case.ts";

const platform = memoryPlatform();
const PEM = "-----BEGIN CERTIFICATE-----\nnot checked by the memory platform\n-----END CERTIFICATE-----\n";
let https: HttpServer | undefined;

beforeAll(async () => {
  https = await platform.serveHttp({
    address: "127.0.0.1",
    port: 8443,
    fetch: () => new Response("secure hello"),
  });
  platform.files.set("/contract/ca.pem", PEM);
  platform.files.set("/contract/other.pem", PEM);
  platform.environment.set(FIXTURE_ENV.marker, "present");
  platform.environment.set(FIXTURE_ENV.caFile, "/contract/ca.pem");
  platform.environment.set(FIXTURE_ENV.otherCaFile, "/contract/other.pem");
  platform.environment.set(FIXTURE_ENV.httpsUrl, "https://127.0.0.1:8443/");
});

afterAll(async () => {
  await https?.close();
});

registerCases("memory", (c) => runCase(c, platform), false);
