import { describe, expect, test } from "bun:test";
import {
  base64Decode,
  IamLogin,
  importRsaPrivateKey,
  jwtExpiry,
  parseIamConfig,
} from "../../../src/core/mesos/iam-login.ts";
import type { HttpRequestOptions, HttpResponseData } from "../../../src/core/platform.ts";

const ALG = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

async function keyPair() {
  const pair = await crypto.subtle.generateKey(
    { ...ALG, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ["sign", "verify"],
  );
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  return { publicKey: pair.publicKey, pkcs8, pem: pem("PRIVATE KEY", pkcs8) };
}

function pem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** The RSAPrivateKey (PKCS#1) inside a PKCS#8 PrivateKeyInfo: its trailing OCTET STRING. */
function pkcs1Of(pkcs8: Uint8Array): Uint8Array {
  const readLength = (at: number): [number, number] => {
    const first = pkcs8[at] ?? 0;
    if (first < 0x80) return [first, at + 1];
    let n = 0;
    for (let i = 0; i < (first & 0x7f); i++) n = n * 256 + (pkcs8[at + 1 + i] ?? 0);
    return [n, at + 1 + (first & 0x7f)];
  };
  let [, pos] = readLength(1); // outer SEQUENCE
  pos += 3; // version INTEGER 0
  const [algLen, algBody] = readLength(pos + 1);
  pos = algBody + algLen;
  const [len, body] = readLength(pos + 1); // OCTET STRING
  return pkcs8.subarray(body, body + len);
}

async function verifies(jwt: string, publicKey: CryptoKey): Promise<boolean> {
  const [h, p, s] = jwt.split(".");
  return crypto.subtle.verify(
    ALG,
    publicKey,
    base64Decode(s ?? "") as Uint8Array<ArrayBuffer>,
    new TextEncoder().encode(`${h}.${p}`),
  );
}

function fakeLoginEndpoint(
  answer: (body: { uid: string; token: string }) => { status: number; body: string },
) {
  const requests: Array<{ url: string; options: HttpRequestOptions; body: { uid: string; token: string } }> =
    [];
  const platform = {
    async httpRequest(url: string, options: HttpRequestOptions): Promise<HttpResponseData> {
      const body = JSON.parse(options.body ?? "{}") as { uid: string; token: string };
      requests.push({ url, options, body });
      const a = answer(body);
      return { status: a.status, url, headers: new Headers(), body: new TextEncoder().encode(a.body) };
    },
  };
  return { platform, requests };
}

const claimsOf = (jwt: string) =>
  JSON.parse(new TextDecoder().decode(base64Decode(jwt.split(".")[1] ?? ""))) as Record<string, unknown>;
const ENDPOINT = "https://iam.example/acs/api/v1/auth/login";

describe("IamLogin (docs/spec.md §3.5)", () => {
  test("POSTs {uid, token} where token is an RS256 JWT {uid, exp: now+1h} that verifies", async () => {
    const { publicKey, pem: privatePem } = await keyPair();
    const { platform, requests } = fakeLoginEndpoint(() => ({ status: 200, body: '{"token":"abc"}' }));
    const now = 1_700_000_000_000;
    const login = new IamLogin({
      platform,
      iam: { uid: "svc", private_key: privatePem, login_endpoint: ENDPOINT },
      timeoutMs: 5000,
      now: () => now,
    });
    expect(await login.token()).toEqual({ ok: true, token: "abc" });
    const sent = requests[0];
    expect(sent?.url).toBe(ENDPOINT);
    expect(sent?.options.method).toBe("POST");
    expect(sent?.options.headers["Content-Type"]).toBe("application/json");
    expect(sent?.body.uid).toBe("svc");
    const jwt = sent?.body.token ?? "";
    expect(JSON.parse(new TextDecoder().decode(base64Decode(jwt.split(".")[0] ?? "")))).toEqual({
      alg: "RS256",
      typ: "JWT",
    });
    expect(claimsOf(jwt)).toEqual({ uid: "svc", exp: now / 1000 + 3600 });
    expect(await verifies(jwt, publicKey)).toBe(true);
  });

  test("accepts a PKCS#1 (BEGIN RSA PRIVATE KEY) key by wrapping it into PKCS#8", async () => {
    const { publicKey, pkcs8 } = await keyPair();
    const { platform, requests } = fakeLoginEndpoint(() => ({ status: 200, body: '{"token":"abc"}' }));
    const login = new IamLogin({
      platform,
      iam: { uid: "svc", private_key: pem("RSA PRIVATE KEY", pkcs1Of(pkcs8)), login_endpoint: ENDPOINT },
      timeoutMs: 5000,
    });
    expect((await login.token()).ok).toBe(true);
    expect(await verifies(requests[0]?.body.token ?? "", publicKey)).toBe(true);
  });

  test("caches the token until shortly before its JWT exp, then logs in again", async () => {
    const { pem: privatePem } = await keyPair();
    let now = 1_700_000_000_000;
    const exp = now / 1000 + 600;
    const issued = `x.${Buffer.from(JSON.stringify({ exp })).toString("base64url")}.y`;
    const { platform, requests } = fakeLoginEndpoint(() => ({
      status: 200,
      body: JSON.stringify({ token: issued }),
    }));
    const login = new IamLogin({
      platform,
      iam: { uid: "svc", private_key: privatePem, login_endpoint: ENDPOINT },
      timeoutMs: 5000,
      now: () => now,
    });
    await login.token();
    now += 500_000;
    await login.token();
    expect(requests).toHaveLength(1);
    now += 50_000; // within a minute of exp
    await login.token();
    expect(requests).toHaveLength(2);
    login.invalidate();
    await login.token();
    expect(requests).toHaveLength(3);
  });

  test("concurrent token() calls share one login", async () => {
    const { pem: privatePem } = await keyPair();
    const { platform, requests } = fakeLoginEndpoint(() => ({
      status: 200,
      body: JSON.stringify({ token: "t" }),
    }));
    const login = new IamLogin({
      platform,
      iam: { uid: "svc", private_key: privatePem, login_endpoint: ENDPOINT },
      timeoutMs: 5000,
    });
    const results = await Promise.all([login.token(), login.token(), login.token()]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(requests).toHaveLength(1);
  });

  test("a non-200 answer, a missing token and a bad key are errors naming the endpoint", async () => {
    const { pem: privatePem } = await keyPair();
    const make = (status: number, body: string, key = privatePem) =>
      new IamLogin({
        platform: fakeLoginEndpoint(() => ({ status, body })).platform,
        iam: { uid: "svc", private_key: key, login_endpoint: ENDPOINT },
        timeoutMs: 5000,
      });
    expect(await make(401, "{}").token()).toEqual({
      ok: false,
      error: `IAM authentication failed at "${ENDPOINT}": HTTP 401`,
    });
    expect(await make(200, "{}").token()).toEqual({
      ok: false,
      error: `IAM authentication failed at "${ENDPOINT}": the answer has no "token"`,
    });
    const bad = await make(200, '{"token":"t"}', "not a key").token();
    expect(!bad.ok && bad.error).toContain("cannot sign the login token with private_key");
  });
});

describe("parseIamConfig()", () => {
  test("requires uid, private_key and login_endpoint strings", () => {
    expect(parseIamConfig('{"uid":"a","private_key":"k","login_endpoint":"u"}', "/iam.json").ok).toBe(true);
    expect(parseIamConfig('{"uid":"a","private_key":"k"}', "/iam.json")).toEqual({
      ok: false,
      error: 'invalid HTTP IAM configuration: "/iam.json" has no login_endpoint',
    });
    expect(parseIamConfig("{", "/iam.json").ok).toBe(false);
  });
});

describe("jwtExpiry() and importRsaPrivateKey()", () => {
  test("reads exp from a JWT payload, undefined for other tokens", () => {
    expect(jwtExpiry(`a.${Buffer.from('{"exp":123}').toString("base64url")}.c`)).toBe(123);
    expect(jwtExpiry("opaque-token")).toBeUndefined();
    expect(jwtExpiry("a.!!!.c")).toBeUndefined();
  });
  test("rejects text without a PEM private key", async () => {
    await expect(
      importRsaPrivateKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
    ).rejects.toThrow("no PEM private key");
  });
});
