/**
 * TLS settings for requests to the masters and the IAM endpoint, from `caCertFile`,
 * `certFile` and `keyFile` (docs/spec.md §3.4). As upstream, the server certificate is verified
 * only when a CA file is given (docs/spec.md §10 #31: kept, with a warning).
 *
 * @module
 */
import type { Config } from "../config/config.ts";
import { errorMessage } from "../log/log-text.ts";
import type { Platform, TlsClientOptions } from "../platform.ts";

export type TlsOptionsResult =
  | { ok: true; tls: TlsClientOptions; warning?: string }
  | { ok: false; error: string };

/** Reads the PEM files named in the configuration. */
export async function loadTlsOptions(
  platform: Pick<Platform, "readTextFile">,
  config: Pick<Config, "CACertFile" | "CertFile" | "KeyFile" | "MesosHTTPSOn" | "File">,
): Promise<TlsOptionsResult> {
  const read = async (key: string, path: string): Promise<string | { error: string }> => {
    try {
      return await platform.readTextFile(path);
    } catch (error) {
      return { error: `Cannot read ${key} "${path}" (config ${config.File}): ${errorMessage(error)}` };
    }
  };
  let ca: string | undefined;
  let cert: string | undefined;
  let key: string | undefined;
  if (config.CACertFile !== "") {
    const text = await read("caCertFile", config.CACertFile);
    if (typeof text !== "string") return { ok: false, error: text.error };
    ca = text;
  }
  if (config.CertFile !== "" && config.KeyFile !== "") {
    const c = await read("certFile", config.CertFile);
    if (typeof c !== "string") return { ok: false, error: c.error };
    const k = await read("keyFile", config.KeyFile);
    if (typeof k !== "string") return { ok: false, error: k.error };
    cert = c;
    key = k;
  }
  const tls: TlsClientOptions = {
    verify: ca !== undefined,
    ...(ca !== undefined ? { ca } : {}),
    ...(cert !== undefined && key !== undefined ? { cert, key } : {}),
  };
  const warning =
    config.MesosHTTPSOn && ca === undefined
      ? "mesosHTTPSOn is set without caCertFile: the masters' TLS certificates are NOT verified (as upstream); set caCertFile to verify them"
      : undefined;
  return warning ? { ok: true, tls, warning } : { ok: true, tls };
}
