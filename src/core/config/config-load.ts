/**
 * Loads the configuration the way upstream's startup does (docs/spec.md §1.2, 2.3): locate and read the
 * file, parse, validate, fill the default forwarders from `/etc/resolv.conf`, check TLS and IAM
 * files. All file access goes through the {@link Platform}.
 *
 * @module
 */

import { classifyIp } from "../net/ip.ts";
import type { Platform } from "../platform.ts";
import type { Config } from "./config.ts";
import type { ConfigError, ConfigResult } from "./config-parse.ts";
import { parseConfigText } from "./config-parse.ts";
import { validateConfig } from "./config-validate.ts";

const RESOLV_CONF = "/etc/resolv.conf";

/**
 * Reads, parses and validates the configuration at `path` (as given on the command line).
 * `now` (milliseconds) seeds `SOASerial`.
 */
export async function loadConfig(
  platform: Platform,
  path: string,
  now: () => number = Date.now,
): Promise<ConfigResult> {
  const file = absolutePath(platform, expandHome(platform, path));
  let text: string;
  try {
    text = await platform.readTextFile(file);
  } catch {
    return fail({ file, message: `missing configuration file: "${file}"` });
  }
  const parsed = parseConfigText(text, file);
  if (!parsed.ok) return parsed;
  const { config, warnings } = parsed;
  config.File = file;
  config.SOASerial = Math.floor(now() / 1000);

  const invalid = validateConfig(config, file);
  if (invalid) return fail(invalid);
  if (config.ExternalOn && (config.Resolvers === null || config.Resolvers.length === 0)) {
    const filled = await systemResolvers(platform, file, warnings);
    if (!Array.isArray(filled)) return fail(filled);
    config.Resolvers = filled;
  }
  const problem = (await checkTls(platform, config, file)) ?? (await checkIam(platform, config, file));
  if (problem) return fail(problem);
  return { ok: true, config, warnings };
}

/**
 * The `nameserver` addresses of a resolv.conf text, in file order. Lines starting with `#` or
 * `;` are comments; anything after the address is ignored.
 */
export function resolvConfNameservers(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    const fields = trimmed.split(/\s+/);
    if (fields[0] === "nameserver" && fields[1] !== undefined) out.push(fields[1]);
  }
  return out;
}

/** Replaces the first `~/` by the home directory (USERPROFILE, else HOME, else `.`), as upstream. */
export function expandHome(platform: Platform, path: string): string {
  const at = path.indexOf("~/");
  if (at < 0) return path;
  const home = nonEmpty(platform.env("USERPROFILE")) ?? nonEmpty(platform.env("HOME")) ?? ".";
  return `${path.slice(0, at)}${home}/${path.slice(at + 2)}`;
}

/** Makes `path` absolute against the platform's working directory, cleaning `.` and `..`. */
export function absolutePath(platform: Platform, path: string): string {
  if (/^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\\\")) return path;
  if (path.startsWith("/")) return cleanPath(path);
  const cwd = platform.cwd();
  if (!cwd.startsWith("/")) return `${cwd.replace(/[\\/]+$/, "")}\\${path}`;
  return cleanPath(`${cwd}/${path}`);
}

/** Lexical clean of an absolute POSIX path, like Go's `filepath.Clean`. */
function cleanPath(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function fail(error: ConfigError): ConfigResult {
  return { ok: false, error };
}

/**
 * docs/spec.md §2.3 step 4: the nameservers of resolv.conf minus local interface addresses. Entries that
 * are not plain IP literals (e.g. scoped `fe80::1%eth0`) and repeats are dropped with a warning
 * instead of failing startup over a system file.
 */
async function systemResolvers(
  platform: Platform,
  file: string,
  warnings: string[],
): Promise<string[] | ConfigError> {
  let text: string;
  try {
    text = await platform.readTextFile(RESOLV_CONF);
  } catch {
    return {
      file,
      key: "resolvers",
      message: `${file}: "resolvers" is empty, so forwarders are taken from ${RESOLV_CONF}, which cannot be read`,
    };
  }
  const local = new Set(platform.localAddresses().map((a) => classifyIp(a)?.text ?? a));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const server of resolvConfNameservers(text)) {
    const ip = classifyIp(server);
    if (!ip) {
      warnings.push(`${RESOLV_CONF}: nameserver "${server}" is not a plain IP address; ignored`);
      continue;
    }
    if (local.has(ip.text) || local.has(server) || seen.has(ip.text)) continue;
    seen.add(ip.text);
    out.push(server);
  }
  return out;
}

async function readOptional(platform: Platform, path: string): Promise<string | undefined> {
  try {
    return await platform.readTextFile(absolutePath(platform, path));
  } catch {
    return undefined;
  }
}

/** docs/spec.md §2.3 step 9: the files must be readable PEM; the pair's match is checked when first used. */
async function checkTls(platform: Platform, c: Config, file: string): Promise<ConfigError | undefined> {
  const pem = async (key: string, path: string, marker: RegExp, what: string) => {
    const text = await readOptional(platform, path);
    const shown = JSON.stringify(path);
    if (text === undefined) return error(file, key, shown, `key "${key}": cannot read ${shown}`);
    if (!marker.test(text)) return error(file, key, shown, `key "${key}": ${shown} contains no PEM ${what}`);
    return undefined;
  };
  if (c.CACertFile !== "") {
    const problem = await pem("caCertFile", c.CACertFile, /-----BEGIN CERTIFICATE-----/, "certificate");
    if (problem) return problem;
  }
  if (c.CertFile !== "" && c.KeyFile === "") {
    return error(file, "keyFile", undefined, 'Missing private key: "certFile" is set but "keyFile" is not');
  }
  if (c.KeyFile !== "" && c.CertFile === "") {
    return error(file, "certFile", undefined, 'Missing certificate: "keyFile" is set but "certFile" is not');
  }
  if (c.CertFile !== "") {
    const problem =
      (await pem("certFile", c.CertFile, /-----BEGIN CERTIFICATE-----/, "certificate")) ??
      (await pem("keyFile", c.KeyFile, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, "private key"));
    if (problem) return problem;
  }
  return loadsAsTls(platform, c, file);
}

/** docs/spec.md §2.3 step 9: the CA bundle and the certificate/key pair must load, checked once at start-up. */
async function loadsAsTls(platform: Platform, c: Config, file: string): Promise<ConfigError | undefined> {
  if (c.CACertFile === "" && c.CertFile === "") return undefined;
  const read = async (path: string) => (path === "" ? undefined : await readOptional(platform, path));
  const [ca, cert, key] = await Promise.all([read(c.CACertFile), read(c.CertFile), read(c.KeyFile)]);
  const problem = platform.checkTlsMaterial({
    ...(ca !== undefined ? { ca } : {}),
    ...(cert !== undefined ? { cert } : {}),
    ...(key !== undefined ? { key } : {}),
  });
  if (problem === undefined) return undefined;
  const [what] = problem.split(":", 1);
  const configKey = what === "ca" ? "caCertFile" : what === "key" ? "keyFile" : "certFile";
  const path = configKey === "caCertFile" ? c.CACertFile : configKey === "keyFile" ? c.KeyFile : c.CertFile;
  const shown = JSON.stringify(path);
  const detail =
    what === "pair"
      ? `${shown} and ${JSON.stringify(c.KeyFile)}: ${problem.slice(6)}`
      : `${shown}: ${problem.slice(what!.length + 2)}`;
  return error(file, configKey, shown, `key "${configKey}": ${detail}`);
}

/** docs/spec.md §2.3 step 10 / 3.5: the IAM file is loaded whenever set; its fields matter for `iam`. */
async function checkIam(platform: Platform, c: Config, file: string): Promise<ConfigError | undefined> {
  if (c.IAMConfigFile === "") return undefined;
  const key = "IAMConfigFile";
  const shown = JSON.stringify(c.IAMConfigFile);
  const text = await readOptional(platform, c.IAMConfigFile);
  if (text === undefined) return error(file, key, shown, `key "${key}": cannot read ${shown}`);
  let iam: unknown;
  try {
    iam = JSON.parse(text);
  } catch {
    return error(file, key, shown, `key "${key}": ${shown} is not valid JSON`);
  }
  if (c.MesosAuthentication !== "iam") return undefined;
  const fields = ["uid", "private_key", "login_endpoint"];
  const record = typeof iam === "object" && iam !== null ? (iam as Record<string, unknown>) : {};
  const missing = fields.filter((f) => typeof record[f] !== "string" || record[f] === "");
  if (missing.length > 0) {
    return error(
      file,
      key,
      shown,
      `invalid HTTP IAM configuration: ${shown} needs non-empty strings ${missing.map((m) => `"${m}"`).join(", ")}`,
    );
  }
  return undefined;
}

function error(file: string, key: string, value: string | undefined, message: string): ConfigError {
  return { file, key, value, message: `${file}: ${message}` };
}
