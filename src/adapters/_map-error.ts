/**
 * Maps runtime errors (Node, Bun and Deno share errno-style `code`s, Deno adds class names,
 * fetch implementations add message texts) into {@link NetError} codes, at the adapter boundary.
 *
 * @module
 */

import { errorMessage } from "../core/log/log-text.ts";
import { NetError, type NetErrorCode } from "../core/platform.ts";

const BY_CODE: Readonly<Record<string, NetErrorCode>> = {
  EADDRINUSE: "ADDRESS_IN_USE",
  AddrInUse: "ADDRESS_IN_USE",
  EACCES: "PERMISSION_DENIED",
  EPERM: "PERMISSION_DENIED",
  PermissionDenied: "PERMISSION_DENIED",
  NotCapable: "PERMISSION_DENIED",
  EADDRNOTAVAIL: "ADDRESS_NOT_AVAILABLE",
  AddrNotAvailable: "ADDRESS_NOT_AVAILABLE",
  ECONNREFUSED: "CONNECTION_REFUSED",
  ConnectionRefused: "CONNECTION_REFUSED",
  ETIMEDOUT: "TIMED_OUT",
  TimedOut: "TIMED_OUT",
  TimeoutError: "TIMED_OUT",
  ECONNRESET: "CLOSED",
  ConnectionReset: "CLOSED",
  EPIPE: "CLOSED",
  BrokenPipe: "CLOSED",
  ConnectionClosed: "CLOSED",
  ERR_STREAM_DESTROYED: "CLOSED",
  ENOENT: "NOT_FOUND",
  NotFound: "NOT_FOUND",
  ENOTFOUND: "NOT_FOUND",
  EAI_NONAME: "NOT_FOUND",
  EAI_NODATA: "NOT_FOUND",
  ENODATA: "NOT_FOUND",
};

// OpenSSL verification codes (Node, Bun) and rustls texts (Deno fetch).
const TLS_CODE = /CERT|SIGNATURE|ISSUER|TLS|SSL|ALTNAME/;
const TLS_TEXT = /certificate|tls|ssl|handshake/i;
const REFUSED_TEXT = /connection refused|ConnectionRefused/i;

function codeOf(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && code !== "") return code;
  const name = (err as { name?: unknown }).name;
  return typeof name === "string" ? name : undefined;
}

/** The chain of `cause`s, outermost first (fetch implementations wrap the socket error). */
function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err; e !== undefined && e !== null && out.length < 5; ) {
    out.push(e);
    e = typeof e === "object" ? (e as { cause?: unknown }).cause : undefined;
  }
  return out;
}

/** Maps any thrown value to a NetError; `context` starts the message, e.g. `Cannot bind UDP "127.0.0.1:53"`. */
export function mapError(err: unknown, context: string): NetError {
  if (err instanceof NetError) return err;
  const links = chain(err);
  let code: NetErrorCode = "OTHER";
  for (const link of links) {
    const raw = codeOf(link);
    const known = raw === undefined ? undefined : BY_CODE[raw];
    if (known) {
      code = known;
      break;
    }
    if (raw !== undefined && TLS_CODE.test(raw) && raw !== "TypeError") {
      code = "TLS";
      break;
    }
  }
  if (code === "OTHER") {
    const text = links.map((l) => errorMessage(l)).join(": ");
    if (TLS_TEXT.test(text)) code = "TLS";
    else if (REFUSED_TEXT.test(text)) code = "CONNECTION_REFUSED";
  }
  const detail = errorMessage(err);
  return new NetError(code, `${context}: ${detail}`, { cause: err });
}
