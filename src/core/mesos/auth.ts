/**
 * The `Authorization` header of state requests (docs/spec.md §3.5), by `mesosAuthentication`:
 * none, `basic` (principal and secret) or `iam` (DC/OS service-account token).
 *
 * @module
 */
import type { Config } from "../config/config.ts";
import { errorMessage } from "../log/log-text.ts";
import type { Platform, TlsClientOptions } from "../platform.ts";
import { IamLogin, parseIamConfig } from "./iam-login.ts";

export type AuthHeaderResult = { ok: true; value: string | undefined } | { ok: false; error: string };

/** Supplies the header for each state request. */
export interface Authenticator {
  /** The header value for the next request (undefined: send none). */
  header(): Promise<AuthHeaderResult>;
  /**
   * The master answered 401 to `header()`'s value. Returns true when asking `header()`
   * again may help (a fresh IAM token), false when it cannot (static credentials).
   */
  rejected(): boolean;
}

/** `Basic base64(principal ":" secret)`, UTF-8 encoded as Go does. */
export function basicAuthorization(principal: string, secret: string): string {
  let binary = "";
  for (const b of new TextEncoder().encode(`${principal}:${secret}`)) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/** No authentication. */
export const noAuthenticator: Authenticator = {
  header: () => Promise.resolve({ ok: true, value: undefined }),
  rejected: () => false,
};

export interface AuthenticatorDeps {
  readonly platform: Pick<Platform, "httpRequest" | "readTextFile">;
  readonly config: Pick<
    Config,
    "MesosAuthentication" | "MesosCredentials" | "IAMConfigFile" | "StateTimeoutSeconds"
  >;
  readonly tls?: TlsClientOptions;
  readonly now?: () => number;
}

/** The authenticator for the configured mechanism. */
export function createAuthenticator(deps: AuthenticatorDeps): Authenticator {
  const { config } = deps;
  if (config.MesosAuthentication === "basic") {
    const value = basicAuthorization(config.MesosCredentials.Principal, config.MesosCredentials.Secret);
    return { header: () => Promise.resolve({ ok: true, value }), rejected: () => false };
  }
  if (config.MesosAuthentication === "iam") return iamAuthenticator(deps);
  return noAuthenticator;
}

function iamAuthenticator(deps: AuthenticatorDeps): Authenticator {
  const file = deps.config.IAMConfigFile;
  let login: Promise<IamLogin | { error: string }> | undefined;
  // The IAM file is read once, at the first request (config loading already validated it).
  const getLogin = async (): Promise<IamLogin | { error: string }> => {
    let text: string;
    try {
      text = await deps.platform.readTextFile(file);
    } catch (error) {
      return { error: `Cannot read IAM config "${file}": ${errorMessage(error)}` };
    }
    const parsed = parseIamConfig(text, file);
    if (!parsed.ok) return { error: parsed.error };
    return new IamLogin({
      platform: deps.platform,
      iam: parsed.iam,
      timeoutMs: deps.config.StateTimeoutSeconds * 1000,
      ...(deps.tls ? { tls: deps.tls } : {}),
      ...(deps.now ? { now: deps.now } : {}),
    });
  };
  let current: IamLogin | undefined;
  return {
    async header() {
      login ??= getLogin();
      const l = await login;
      if (!(l instanceof IamLogin)) {
        login = undefined;
        return { ok: false, error: l.error };
      }
      current = l;
      const token = await l.token();
      return token.ok ? { ok: true, value: `token=${token.token}` } : token;
    },
    rejected() {
      if (!current) return false;
      current.invalidate();
      return true;
    },
  };
}
