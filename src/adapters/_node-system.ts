/**
 * System services through Node APIs (`node:dns`, `node:os`, `node:fs`, `process`): shared by
 * the Bun and Node adapters; `lookupNodeHost` is used by Deno too.
 *
 * @module
 */
import { lookup } from "node:dns";
import { readFile } from "node:fs/promises";
import { networkInterfaces } from "node:os";
import { NetError } from "../core/platform.ts";
import { mapError } from "./_map-error.ts";

/** Every address of `host` from the system resolver (getaddrinfo), IPv4 and IPv6. */
export function lookupNodeHost(host: string, timeoutMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // getaddrinfo cannot be cancelled; the timer only stops the wait.
    const timer = setTimeout(() => {
      reject(new NetError("TIMED_OUT", `Cannot look up host "${host}": timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    lookup(host, { all: true, family: 0 }, (err, addresses) => {
      clearTimeout(timer);
      if (err) reject(mapError(err, `Cannot look up host "${host}"`));
      else resolve(addresses.map((a) => a.address));
    });
  });
}

/** Addresses of the non-internal interfaces (IPv6 link-local included, without zone). */
export function nodeLocalAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if (!info.internal) out.push(info.address.split("%")[0]!);
    }
  }
  return out;
}

/** Reads a UTF-8 file; ENOENT becomes `NOT_FOUND`, EACCES `PERMISSION_DENIED`. */
export async function readNodeTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    throw mapError(err, `Cannot read file "${path}"`);
  }
}

/** `env`, `cwd` and `onSignal` of the Platform contract through `process`. */
export const nodeProcess = {
  env(name: string): string | undefined {
    return process.env[name];
  },
  cwd(): string {
    return process.cwd();
  },
  onSignal(signal: "SIGINT" | "SIGTERM", handler: () => void): void {
    process.on(signal, handler);
  },
};
