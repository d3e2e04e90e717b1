/**
 * DC/OS IAM service-account login (SPEC 3.5): an RS256 JWT `{uid, exp: now + 1 h}` signed
 * with the account's private key is POSTed to `login_endpoint`, which answers
 * `{"token": "<t>"}`. Unlike upstream, the token is cached until shortly before it
 * expires (SPEC 10 #32) and dropped when a master rejects it.
 *
 * @module
 */
import { importRsaPrivateKey, jwtExpiry, signJwt } from "./_jwt-rs256.ts";
import type { Platform, TlsClientOptions } from "./platform.ts";

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
    return { ok: false, error: `Cannot parse IAM config "${file}": ${(error as Error).message}` };
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
      return fail(`cannot sign the login token with private_key: ${(error as Error).message}`);
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
      return fail((error as Error).message);
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
