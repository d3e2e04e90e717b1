/**
 * DC/OS IAM service-account login (docs/spec.md §3.5): an RS256 JWT `{uid, exp: now + 1 h}` signed
 * with the account's private key is POSTed to `login_endpoint`, which answers
 * `{"token": "<t>"}`. Unlike upstream, the token is cached until shortly before it
 * expires (docs/spec.md §10 #32) and dropped when a master rejects it.
 *
 * The login token is an RS256 JSON Web Token signed with `crypto.subtle`: PEM private keys
 * (PKCS#8, or PKCS#1 wrapped into PKCS#8 here), signing, and reading the `exp` claim.
 *
 * @module
 */

import { errorMessage } from "../log/log-text.ts";
import type { Platform, TlsClientOptions } from "../platform.ts";

/** The IAM file (`IAMConfigFile`). */
export interface IamConfig {
  readonly uid: string;
  readonly private_key: string;
  readonly login_endpoint: string;
}

export type IamConfigResult = { ok: true; iam: IamConfig } | { ok: false; error: string };

/** Parses the IAM JSON file; every key must be a non-empty string. */
export function parseIamConfig(text: string, file: string): IamConfigResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Cannot parse IAM config "${file}": ${errorMessage(error)}` };
  }
  const v = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  for (const key of ["uid", "private_key", "login_endpoint"]) {
    if (typeof v[key] !== "string" || v[key] === "") {
      return { ok: false, error: `invalid HTTP IAM configuration: "${file}" has no ${key}` };
    }
  }
  return { ok: true, iam: v as unknown as IamConfig };
}

export interface IamLoginDeps {
  readonly platform: Pick<Platform, "httpRequest">;
  readonly iam: IamConfig;
  readonly tls?: TlsClientOptions;
  readonly timeoutMs: number;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
}

export type TokenResult = { ok: true; token: string } | { ok: false; error: string };

/** Renew this long before the token's expiry. */
const MARGIN_MS = 60_000;
/** Assumed lifetime of a token that is not a JWT. */
const DEFAULT_LIFETIME_MS = 3_600_000;

/** Logs in on demand and caches the token. */
export class IamLogin {
  readonly #deps: IamLoginDeps;
  readonly #now: () => number;
  #key: Promise<CryptoKey> | undefined;
  #token: { value: string; renewAtMs: number } | undefined;
  /** A login under way: concurrent callers (two refreshes after a leader change) share it. */
  #pending: Promise<TokenResult> | undefined;

  constructor(deps: IamLoginDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** A valid token: the cached one, or a fresh login. */
  async token(): Promise<TokenResult> {
    const cached = this.#token;
    if (cached && this.#now() < cached.renewAtMs) return { ok: true, token: cached.value };
    this.#token = undefined;
    this.#pending ??= this.#login().finally(() => {
      this.#pending = undefined;
    });
    return await this.#pending;
  }

  /** Forgets the cached token (the master answered 401). */
  invalidate(): void {
    this.#token = undefined;
  }

  async #login(): Promise<TokenResult> {
    const { iam, platform } = this.#deps;
    const fail = (why: string): TokenResult => ({
      ok: false,
      error: `IAM authentication failed at "${iam.login_endpoint}": ${why}`,
    });
    let jwt: string;
    try {
      this.#key ??= importRsaPrivateKey(iam.private_key);
      const key = await this.#key;
      const exp = Math.floor(this.#now() / 1000) + 3600;
      jwt = await signJwt({ uid: iam.uid, exp }, key);
    } catch (error) {
      this.#key = undefined;
      return fail(`cannot sign the login token with private_key: ${errorMessage(error)}`);
    }
    let status: number;
    let body: Uint8Array;
    try {
      const response = await platform.httpRequest(iam.login_endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json", "User-Agent": "Mesos-DNS" },
        body: JSON.stringify({ uid: iam.uid, token: jwt }),
        timeoutMs: this.#deps.timeoutMs,
        maxBytes: 1024 * 1024,
        maxRedirects: 10,
        ...(this.#deps.tls ? { tls: this.#deps.tls } : {}),
      });
      status = response.status;
      body = response.body;
    } catch (error) {
      return fail(errorMessage(error));
    }
    if (status !== 200) return fail(`HTTP ${status}`);
    let token: unknown;
    try {
      token = (JSON.parse(new TextDecoder().decode(body)) as { token?: unknown }).token;
    } catch {
      return fail("the answer is not JSON");
    }
    if (typeof token !== "string" || token === "") return fail('the answer has no "token"');
    const now = this.#now();
    const exp = jwtExpiry(token);
    const expiresAtMs = exp !== undefined ? exp * 1000 : now + DEFAULT_LIFETIME_MS;
    // Short-lived tokens: renew half-way rather than never caching them.
    const margin = Math.min(MARGIN_MS, Math.max(0, (expiresAtMs - now) / 2));
    this.#token = { value: token, renewAtMs: expiresAtMs - margin };
    return { ok: true, token };
  }
}

const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

/** Imports a PEM RSA private key (`BEGIN PRIVATE KEY` or `BEGIN RSA PRIVATE KEY`) for RS256. */
export async function importRsaPrivateKey(pem: string): Promise<CryptoKey> {
  const pkcs8 = /-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/.exec(pem);
  const pkcs1 = /-----BEGIN RSA PRIVATE KEY-----([\s\S]*?)-----END RSA PRIVATE KEY-----/.exec(pem);
  let der: Uint8Array;
  if (pkcs8?.[1] !== undefined) der = base64Decode(pkcs8[1]);
  // Web Crypto imports only PKCS#8; a PKCS#1 RSAPrivateKey becomes its privateKey field.
  else if (pkcs1?.[1] !== undefined) der = wrapPkcs1(base64Decode(pkcs1[1]));
  else throw new Error("no PEM private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY) found");
  return await crypto.subtle.importKey("pkcs8", der as Uint8Array<ArrayBuffer>, ALGORITHM, false, ["sign"]);
}

/** Signs `claims` as a compact RS256 JWT. */
export async function signJwt(claims: Record<string, unknown>, key: CryptoKey): Promise<string> {
  const header = base64UrlEncode(new TextEncoder().encode(JSON.stringify({ alg: "RS256", typ: "JWT" })));
  const payload = base64UrlEncode(new TextEncoder().encode(JSON.stringify(claims)));
  const input = new TextEncoder().encode(`${header}.${payload}`);
  const signature = new Uint8Array(await crypto.subtle.sign(ALGORITHM, key, input));
  return `${header}.${payload}.${base64UrlEncode(signature)}`;
}

/** The `exp` claim (seconds) of a JWT, or undefined when `token` is not a JWT with one. */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(new TextDecoder().decode(base64Decode(parts[1])));
    if (typeof claims === "object" && claims !== null && "exp" in claims) {
      const exp = (claims as { exp: unknown }).exp;
      if (typeof exp === "number" && Number.isFinite(exp)) return exp;
    }
  } catch {
    // Not a JWT: the caller assumes a lifetime.
  }
  return undefined;
}

/** Decodes base64 or base64url, ignoring whitespace and padding. */
export function base64Decode(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "").replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  const binary = atob(clean + "=".repeat((4 - (clean.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier rsaEncryption/NULL, OCTET STRING }
const VERSION = [0x02, 0x01, 0x00];
const RSA_ALGORITHM = [
  0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];

function wrapPkcs1(pkcs1: Uint8Array): Uint8Array {
  const octets = [0x04, ...derLength(pkcs1.length), ...pkcs1];
  const body = [...VERSION, ...RSA_ALGORITHM, ...octets];
  return Uint8Array.from([0x30, ...derLength(body.length), ...body]);
}

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}
