/**
 * A fake DC/OS IAM login endpoint (`POST /acs/api/v1/auth/login`): verifies the RS256
 * service-login JWT `{uid, exp}` against a public key and answers `{"token": "..."}`.
 *
 * @module
 */

export interface FakeIamOptions {
  /** PEM `BEGIN PUBLIC KEY` (SPKI) of the service account. */
  readonly publicKeyPem: string;
  /** The service account's uid; other uids get 401. */
  readonly uid: string;
  readonly host?: string;
  /** Token lifetime written into issued tokens' `exp` (seconds); default 3600. */
  readonly tokenLifetimeSeconds?: number;
}

export interface FakeIam {
  /** The login endpoint URL (`login_endpoint` of the IAM file). */
  readonly loginUrl: string;
  /** Successful logins so far. */
  readonly logins: () => number;
  /** Rejected logins so far (bad signature, uid, expiry or body). */
  readonly rejections: () => number;
  /** True for a token this endpoint issued and has not revoked. */
  accepts(token: string): boolean;
  /** Forget every issued token (a master then answers 401 until the next login). */
  revokeAll(): void;
  stop(): Promise<void>;
}

export const LOGIN_PATH = "/acs/api/v1/auth/login";

/** Starts the fake IAM endpoint on a free port. */
export async function startFakeIam(options: FakeIamOptions): Promise<FakeIam> {
  const key = await crypto.subtle.importKey(
    "spki",
    pemBody(options.publicKeyPem),
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const issued = new Set<string>();
  let logins = 0;
  let rejections = 0;
  let serial = 0;
  const lifetime = options.tokenLifetimeSeconds ?? 3600;

  const reject = (why: string) => {
    rejections++;
    return Response.json({ title: "Invalid authentication", description: why }, { status: 401 });
  };

  const server = Bun.serve({
    hostname: options.host ?? "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname !== LOGIN_PATH) return new Response("Not Found", { status: 404 });
      if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405 });
      let body: { uid?: unknown; token?: unknown };
      try {
        body = (await request.json()) as typeof body;
      } catch {
        return reject("body is not JSON");
      }
      if (body.uid !== options.uid) return reject(`unknown uid ${JSON.stringify(body.uid)}`);
      if (typeof body.token !== "string") return reject("no token");
      const [header, payload, signature] = body.token.split(".");
      if (header === undefined || payload === undefined || signature === undefined)
        return reject("not a JWT");
      const valid = await crypto.subtle.verify(
        "RSASSA-PKCS1-v1_5",
        key,
        base64Url(signature),
        new TextEncoder().encode(`${header}.${payload}`),
      );
      if (!valid) return reject("bad signature");
      const alg = JSON.parse(new TextDecoder().decode(base64Url(header))) as { alg?: unknown };
      const claims = JSON.parse(new TextDecoder().decode(base64Url(payload))) as {
        uid?: unknown;
        exp?: unknown;
      };
      if (alg.alg !== "RS256") return reject("alg is not RS256");
      if (claims.uid !== options.uid) return reject("uid claim differs");
      if (typeof claims.exp !== "number" || claims.exp * 1000 < Date.now()) return reject("expired");
      logins++;
      const token = fakeJwt({ uid: options.uid, exp: Math.floor(Date.now() / 1000) + lifetime, n: ++serial });
      issued.add(token);
      return Response.json({ token });
    },
  });

  return {
    loginUrl: `http://${options.host ?? "127.0.0.1"}:${server.port}${LOGIN_PATH}`,
    logins: () => logins,
    rejections: () => rejections,
    accepts: (token) => issued.has(token),
    revokeAll: () => issued.clear(),
    stop: () => server.stop(true),
  };
}

/** An unsigned JWT-shaped token, so clients can read `exp` as they would from DC/OS. */
function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${enc({ alg: "none", typ: "JWT" })}.${enc(claims)}.`;
}

function base64Url(text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(text, "base64url"));
}

function pemBody(pem: string): Uint8Array<ArrayBuffer> {
  const body = pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, "");
  return new Uint8Array(Buffer.from(body, "base64"));
}
