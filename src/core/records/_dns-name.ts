/**
 * Checks on generated owner names: the improvements of docs/spec.md §10 #22-24 (upstream stores
 * names that cannot exist on the wire).
 *
 * @module
 */

/**
 * Why `name` (fully qualified, with its trailing dot) cannot be a DNS name, or undefined
 * when it can: every label 1..63 octets, the whole name at most 253 octets without the
 * final dot (255 on the wire). Names here are ASCII, so characters are octets.
 */
export function nameProblem(name: string): string | undefined {
  const end = name.length - 1;
  if (end > 253) return "name longer than 253 octets";
  let start = 0;
  for (let i = 0; i <= end; i++) {
    if (name.charCodeAt(i) !== 46) continue;
    const length = i - start;
    if (length === 0) return "empty label";
    if (length > 63) return "label longer than 63 octets";
    start = i + 1;
  }
  if (start !== name.length) return "no trailing dot";
  return undefined;
}

/**
 * True when a raw DiscoveryInfo name may be used for upstream's "legacy" records (docs/spec.md §5.8,
 * 10 #23): only `a-z 0-9 - _ .`, no empty label. Raw names with upper case, spaces or other
 * characters were unreachable upstream (queries are lower-cased) or not valid names at all.
 */
export function isUsableRawName(raw: string): boolean {
  if (raw === "" || raw.charCodeAt(0) === 46 || raw.charCodeAt(raw.length - 1) === 46) return false;
  let previousDot = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    const dot = c === 46;
    if (dot && previousDot) return false;
    previousDot = dot;
    if (dot || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95) continue;
    return false;
  }
  return true;
}

/**
 * Lengths of the first and last labels of `text` (a task label, or a raw DiscoveryInfo name
 * with dots), or undefined when it is empty or has an empty label or one over 63 octets.
 */
export function labelExtents(text: string): { first: number; last: number } | undefined {
  const firstDot = text.indexOf(".");
  if (firstDot < 0)
    return text.length > 0 && text.length <= 63 ? { first: text.length, last: text.length } : undefined;
  let start = 0;
  let first = -1;
  let last = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text.charCodeAt(i) !== 46) continue;
    const length = i - start;
    if (length === 0 || length > 63) return undefined;
    if (first < 0) first = length;
    last = length;
    start = i + 1;
  }
  return { first, last };
}
