/**
 * A throw-away certificate authority made with openssl in a temporary directory: a CA, a
 * server certificate for 127.0.0.1 signed by it, and an unrelated second CA.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const OPENSSL = "/usr/bin/openssl";

export function opensslMissing(): string | undefined {
  return existsSync(OPENSSL) ? undefined : `${OPENSSL} not found (apt-get install openssl)`;
}

export interface TestCa {
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** A CA that did not sign the server certificate. */
  readonly otherCaCert: string;
  dispose(): void;
}

export function makeTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), "mesos-dns-ca-"));
  const p = (name: string) => join(dir, name);
  const run = (...args: string[]) => execFileSync(OPENSSL, args, { cwd: dir, stdio: "pipe" });
  const selfSigned = (name: string) =>
    run(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      `/CN=${name}`,
      "-keyout",
      p(`${name}.key`),
      "-out",
      p(`${name}.crt`),
    );
  selfSigned("test-ca");
  selfSigned("other-ca");
  run(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=127.0.0.1",
    "-keyout",
    p("server.key"),
    "-out",
    p("server.csr"),
  );
  writeFileSync(p("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  run(
    "x509",
    "-req",
    "-in",
    p("server.csr"),
    "-CA",
    p("test-ca.crt"),
    "-CAkey",
    p("test-ca.key"),
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    p("server.ext"),
    "-out",
    p("server.crt"),
  );
  return {
    dir,
    caCert: p("test-ca.crt"),
    serverCert: p("server.crt"),
    serverKey: p("server.key"),
    otherCaCert: p("other-ca.crt"),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
