/**
 * Task host ports from `resources.ports` strings such as `[31000-31001, 31005-31005]` (SPEC 4.3).
 *
 * @module
 */

/** Ports found, in order, and one message per piece that was skipped. */
export interface PortRanges {
  readonly ports: number[];
  readonly problems: string[];
}

const MAX_PORT = 65535;

/**
 * Expands a Mesos port-range string into ports, in order, duplicates kept.
 *
 * Upstream's rules, plus the fixes SPEC 10 #14 asks for (upstream crashes on these):
 * - empty text or `[]`: no ports;
 * - the text between the first `[` and the following `]` is used; text without `[` is used
 *   whole (upstream crashes);
 * - pieces are split on commas and trimmed; `lo-hi` yields lo..hi inclusive, a bare number
 *   `31000` yields that port (upstream crashes); lo > hi yields nothing, like upstream;
 * - a piece whose ends are not decimal integers, or with more than one `-`, is skipped
 *   with a problem message;
 * - ports above 65535 are dropped (upstream would emit them and later wrap them to 16 bits,
 *   SPEC 10 #41), which also bounds the work a hostile range can cause.
 */
export function parsePortRanges(text: string): PortRanges {
  const ports: number[] = [];
  const problems: string[] = [];
  if (text === "" || text === "[]") return { ports, problems };
  const open = text.indexOf("[");
  let body = text;
  if (open >= 0) {
    const close = text.indexOf("]", open + 1);
    body = close < 0 ? text.slice(open + 1) : text.slice(open + 1, close);
  }
  for (const raw of body.split(",")) {
    const piece = raw.trim();
    if (piece === "") {
      if (body.trim() !== "") problems.push(`empty port range in "${text}" skipped`);
      continue;
    }
    const parts = piece.split("-");
    if (parts.length > 2) {
      problems.push(`bad port range "${piece}" skipped`);
      continue;
    }
    const lo = parseDecimal(parts[0]!.trim());
    const hi = parts.length === 2 ? parseDecimal(parts[1]!.trim()) : lo;
    if (lo === undefined || hi === undefined) {
      problems.push(`bad port range "${piece}" skipped`);
      continue;
    }
    if (lo > MAX_PORT || hi > MAX_PORT) problems.push(`ports above ${MAX_PORT} in "${piece}" skipped`);
    const top = Math.min(hi, MAX_PORT);
    for (let port = lo; port <= top; port++) ports.push(port);
  }
  return { ports, problems };
}

/** A non-negative decimal integer (digits only, any length), or undefined. */
function parseDecimal(text: string): number | undefined {
  if (text === "") return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(text);
}
