/**
 * TLS material check with node:crypto, which Bun, Node and Deno all provide: certificates and
 * keys parse, and the key matches the certificate (docs/spec.md §2.3 step 9: a bad pair is a startup
 * error, not a failure at every refresh).
 *
 * @module
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { errorMessage } from "../core/log/log-text.ts";

const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

function firstLine(error: unknown): string {
  return errorMessage(error).split("\n")[0] ?? "";
}

function certificates(pem: string, what: string): X509Certificate[] | string {
  const blocks = pem.match(CERTIFICATE) ?? [];
  if (blocks.length === 0) return `${what}: no PEM certificate`;
  const out: X509Certificate[] = [];
  for (const [i, block] of blocks.entries()) {
    try {
      out.push(new X509Certificate(block));
    } catch (error) {
      return `${what}: certificate ${i + 1} does not parse (${firstLine(error)})`;
    }
  }
  return out;
}

export function checkTlsMaterialWithNodeCrypto(material: {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}): string | undefined {
  if (material.ca !== undefined) {
    const ca = certificates(material.ca, "ca");
    if (typeof ca === "string") return ca;
  }
  if (material.cert === undefined && material.key === undefined) return undefined;
  if (material.cert === undefined || material.key === undefined) return "pair: a certificate needs its key";
  const cert = certificates(material.cert, "cert");
  if (typeof cert === "string") return cert;
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(material.key);
  } catch (error) {
    return `key: the private key does not parse (${firstLine(error)})`;
  }
  if (!cert[0]!.checkPrivateKey(key)) return "pair: the private key does not belong to the certificate";
  return undefined;
}
