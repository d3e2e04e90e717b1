/**
 * docs/spec.md §2.3 step 9 with real TLS material: a certificate/key pair that does not load is a
 * start-up configuration error naming the keys and files, on the runtime's own TLS stack.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bunPlatform } from "../../src/adapters/bun.ts";
import { loadConfig } from "../../src/core/config/config-load.ts";
import { requireOrSkip } from "../_server-process.ts";
import { opensslMissing } from "./_test-ca.ts";

const runnable = requireOrSkip(opensslMissing() === undefined, opensslMissing() ?? "");
const dir = mkdtempSync(join(tmpdir(), "tls-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function selfSigned(name: string): void {
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      `/CN=${name}`,
      "-keyout",
      join(dir, `${name}.key`),
      "-out",
      join(dir, `${name}.crt`),
    ],
    { stdio: "pipe" },
  );
}

async function load(settings: Record<string, string>) {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ masters: ["127.0.0.1:5050"], externalon: false, ...settings }));
  return loadConfig(bunPlatform, path);
}

describe.skipIf(!runnable)("TLS material at start-up", () => {
  if (runnable) {
    selfSigned("a");
    selfSigned("b");
  }

  test("a matching certificate and key load", async () => {
    const result = await load({
      certFile: join(dir, "a.crt"),
      keyFile: join(dir, "a.key"),
      caCertFile: join(dir, "b.crt"),
    });
    expect(result.ok).toBe(true);
  });

  test("a key that does not belong to the certificate is an error naming both files", async () => {
    const result = await load({ certFile: join(dir, "a.crt"), keyFile: join(dir, "b.key") });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.key).toBe("certFile");
    expect(result.error.message).toContain("a.crt");
    expect(result.error.message).toContain("b.key");
    expect(result.error.message).toContain("does not belong");
  });

  test("a CA bundle with a damaged certificate is an error naming caCertFile", async () => {
    const bad = join(dir, "bad.crt");
    writeFileSync(bad, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
    const result = await load({ caCertFile: bad });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('key "caCertFile"');
  });
});
