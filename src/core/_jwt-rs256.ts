/**
 * RS256 JSON Web Tokens with `crypto.subtle` (for the DC/OS IAM service login, SPEC 3.5):
 * PEM private keys (PKCS#8, or PKCS#1 wrapped into PKCS#8 here), signing, and reading
 * the `exp` claim of a returned token.
 *
 * @module
 */

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
