/**
 * State retrieval against real HTTP(S) fake masters (docs/spec.md §3.4, 3.5, 3.6): failover, every
 * failure mode keeps the last good snapshot, TLS, Basic auth and IAM login.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type FakeBehaviour,
  type FakeMaster,
  startFakeIam,
  startFakeMaster,
} from "../../scripts/fake-master.ts";
import type { Config } from "../../src/core/config/config.ts";
import {
  eventually,
  type Harness,
  leaderPort,
  manualDetector,
  STATE,
  startRefresher,
} from "./_refresher-harness.ts";
import { makeTestCa, opensslMissing, type TestCa } from "./_test-ca.ts";

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function master(options: Partial<Parameters<typeof startFakeMaster>[0]> = {}): Promise<FakeMaster> {
  const m = await startFakeMaster({ state: STATE, ...options });
  running.push(m);
  return m;
}

function refresher(patch: Partial<Config>, detector?: Parameters<typeof startRefresher>[1]): Harness {
  const h = startRefresher(patch, detector);
  running.push(h);
  return h;
}

describe("state retrieval from static masters", () => {
  test("loads the leader's records and follows the leader a master names, at its own port", async () => {
    const leader = await master();
    const follower = await master({ leader: leader.hostPort });
    const h = refresher({ Masters: [follower.hostPort] });
    expect(await h.refresher.refreshNow()).toBe(true);
    const snap = h.store.current();
    expect(snap?.leader).toBe(`master@${leader.hostPort}`);
    expect(snap?.records.a.get("leader.mesos.")).toEqual(["127.0.0.1"]);
    expect(leaderPort(snap)).toBe(leader.port);
    expect(leader.requests.at(-1)?.headers["user-agent"]).toBe("Mesos-DNS");
  });

  test("falls back to the next master when the first is down", async () => {
    const down = await master();
    await down.stop();
    const up = await master();
    const h = refresher({ Masters: [down.hostPort, up.hostPort] });
    expect(await h.refresher.refreshNow()).toBe(true);
    expect(leaderPort(h.store.current())).toBe(up.port);
  });

  test("follows an HTTP redirect from the state endpoint", async () => {
    const target = await master();
    const redirecting = await master({
      behaviour: { kind: "redirect", location: `${target.url}/master/state` },
    });
    const h = refresher({ Masters: [redirecting.hostPort] });
    expect(await h.refresher.refreshNow()).toBe(true);
    expect(leaderPort(h.store.current())).toBe(target.port);
  });

  const failures: Array<[string, FakeBehaviour | "down", string]> = [
    ["HTTP 500", { kind: "status", status: 500 }, "HTTP 500"],
    ["truncated JSON", { kind: "truncated" }, "Cannot parse state"],
    ["invalid JSON", { kind: "invalid-json" }, "Cannot parse state"],
    ["a master that never answers", { kind: "hang" }, "no complete answer within stateTimeoutSeconds (1 s)"],
    ["a master that went down", "down", "Cannot fetch state from master"],
  ];
  for (const [name, behaviour, cause] of failures) {
    test(`${name}: the refresh fails, the last good snapshot stays, the cause is logged once`, async () => {
      const m = await master();
      const h = refresher({ Masters: [m.hostPort] });
      expect(await h.refresher.refreshNow()).toBe(true);
      const good = h.store.current();
      if (behaviour === "down") await m.stop();
      else m.setBehaviour(behaviour);
      expect(await h.refresher.refreshNow()).toBe(false);
      expect(await h.refresher.refreshNow()).toBe(false);
      expect(h.store.current()).toBe(good);
      const errors = h.logs.filter((l) => l.startsWith("error:"));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(cause);
      expect(errors[0]).toContain("keeping the records loaded at");
    }, 10_000);
  }

  test("a leader change is followed within a second while the old leader never answers (docs/spec.md §10 #38)", async () => {
    const old = await master({ behaviour: { kind: "hang" } });
    const next = await master();
    const d = manualDetector();
    const h = refresher({ Zk: "zk://127.0.0.1:1/mesos", StateTimeoutSeconds: 60 }, d.detector);
    d.emit([old.hostPort]);
    await eventually(() => old.requests.length > 0, 2000, "a request to the hanging master");
    const switched = Date.now();
    d.emit([next.hostPort, old.hostPort]);
    await eventually(() => leaderPort(h.store.current()) === next.port, 1000, "records from the new leader");
    expect(Date.now() - switched).toBeLessThan(1000);
    expect(h.logs.filter((l) => l.startsWith("error:"))).toEqual([]);
  });

  test("Basic auth: right credentials load, wrong ones fail with HTTP 401 and keep nothing new", async () => {
    const m = await master({ basicAuth: { principal: "dns", secret: "s3cret" } });
    const right = refresher({
      Masters: [m.hostPort],
      MesosAuthentication: "basic",
      MesosCredentials: { Principal: "dns", Secret: "s3cret" },
    });
    expect(await right.refresher.refreshNow()).toBe(true);
    const wrong = refresher({
      Masters: [m.hostPort],
      MesosAuthentication: "basic",
      MesosCredentials: { Principal: "dns", Secret: "nope" },
    });
    expect(await wrong.refresher.refreshNow()).toBe(false);
    expect(wrong.store.current()).toBeUndefined();
    expect(wrong.logs.find((l) => l.startsWith("error:"))).toContain(`"${m.hostPort}": HTTP 401`);
  });
});

describe("IAM login against the fake endpoint", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "mesos-dns-iam-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("logs in once, reuses the token, and logs in again when the master rejects it", async () => {
    const pair = await crypto.subtle.generateKey(
      {
        name: "RSASSA-PKCS1-v1_5",
        hash: "SHA-256",
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
      },
      true,
      ["sign", "verify"],
    );
    const pem = async (format: "pkcs8" | "spki", key: CryptoKey, label: string) =>
      `-----BEGIN ${label}-----\n${Buffer.from(await crypto.subtle.exportKey(format, key)).toString("base64")}\n-----END ${label}-----\n`;
    const iam = await startFakeIam({
      publicKeyPem: await pem("spki", pair.publicKey, "PUBLIC KEY"),
      uid: "dns-svc",
    });
    running.push(iam);
    const file = join(dir, "iam.json");
    writeFileSync(
      file,
      JSON.stringify({
        uid: "dns-svc",
        private_key: await pem("pkcs8", pair.privateKey, "PRIVATE KEY"),
        login_endpoint: iam.loginUrl,
      }),
    );
    const m = await master({ acceptToken: (t) => iam.accepts(t) });
    const h = refresher({ Masters: [m.hostPort], MesosAuthentication: "iam", IAMConfigFile: file });
    // The startup refresh first: a refreshNow() racing it would run beside it (the detector's
    // first event supersedes it), and two concurrent first refreshes each log in.
    await eventually(() => h.store.current() !== undefined, 5000, "first snapshot");
    expect(await h.refresher.refreshNow()).toBe(true);
    expect(iam.logins()).toBe(1);
    iam.revokeAll();
    expect(await h.refresher.refreshNow()).toBe(true);
    expect(iam.logins()).toBe(2);
    expect(iam.rejections()).toBe(0);
    expect(m.requests.at(-1)?.headers.authorization).toStartWith("token=");
  });
});

const noOpenssl = opensslMissing();
const skipTls = noOpenssl !== undefined && process.env.CI !== "true";
if (skipTls) console.warn(`SKIP HTTPS integration tests: ${noOpenssl}`);

describe.skipIf(skipTls)("HTTPS masters (mesosHTTPSOn) with a test CA", () => {
  let ca: TestCa;
  beforeAll(() => {
    if (noOpenssl) throw new Error(`openssl is required when CI=true: ${noOpenssl}`);
    ca = makeTestCa();
  });
  afterAll(() => ca?.dispose());

  const tlsMaster = () => master({ tls: { certFile: ca.serverCert, keyFile: ca.serverKey } });

  test("verifies the master against caCertFile and loads", async () => {
    const m = await tlsMaster();
    const h = refresher({ Masters: [m.hostPort], MesosHTTPSOn: true, CACertFile: ca.caCert });
    expect(await h.refresher.refreshNow()).toBe(true);
    expect(h.logs.some((l) => l.startsWith("warn:") && l.includes("NOT verified"))).toBe(false);
  });

  test("a certificate from another CA fails verification", async () => {
    const m = await tlsMaster();
    const h = refresher({ Masters: [m.hostPort], MesosHTTPSOn: true, CACertFile: ca.otherCaCert });
    expect(await h.refresher.refreshNow()).toBe(false);
    expect(h.store.current()).toBeUndefined();
    expect(h.logs.find((l) => l.startsWith("error:"))).toContain("certificate");
  });

  test("without caCertFile the certificate is not verified (as upstream) and a warning says so", async () => {
    const m = await tlsMaster();
    const h = refresher({ Masters: [m.hostPort], MesosHTTPSOn: true });
    expect(await h.refresher.refreshNow()).toBe(true);
    expect(h.logs.filter((l) => l.includes("NOT verified"))).toHaveLength(1);
  });
});
