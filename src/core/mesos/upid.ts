/**
 * Mesos PID (UPID) values, `id@host:port` (docs/spec.md §4.2).
 *
 * @module
 */

import { splitHostPort } from "../net/ip.ts";

/** A parsed PID: the host (IP literal or hostname, IPv6 without brackets) and the port. */
export interface Upid {
  readonly id: string;
  readonly host: string;
  readonly port: number;
}

const HOST_CHARS = /^[A-Za-z0-9._:-]+$/;

/**
 * Parses a PID such as `slave(1)@10.0.0.1:5051` or `scheduler(1)@[2001:db8::1]:25501`.
 * Like upstream: `"` and spaces are trimmed from both ends and exactly one `@` is required.
 * Unlike upstream, a hostname is not resolved here (the caller resolves it, docs/spec.md §10 #16)
 * and the port must be decimal 0..65535 (upstream would accept a service name).
 * Returns undefined for anything else; never throws.
 */
export function parseUpid(text: string): Upid | undefined {
  const trimmed = trimQuotesAndSpaces(text);
  const at = trimmed.indexOf("@");
  if (at < 0 || trimmed.indexOf("@", at + 1) >= 0) return undefined;
  const hostPort = splitHostPort(trimmed.slice(at + 1));
  if (!hostPort) return undefined;
  const { host, port } = hostPort;
  if (host === "" || !HOST_CHARS.test(host)) return undefined;
  if (!/^[0-9]{1,5}$/.test(port)) return undefined;
  const portNumber = Number(port);
  if (portNumber > 65535) return undefined;
  return { id: trimmed.slice(0, at), host, port: portNumber };
}

function trimQuotesAndSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === '"' || text[start] === " ")) start++;
  while (end > start && (text[end - 1] === '"' || text[end - 1] === " ")) end--;
  return text.slice(start, end);
}
