/**
 * Task host ports from `resources.ports` strings such as `[31000-31001, 31005-31005]` (docs/spec.md §4.3).
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
 * The most distinct host ports kept per task. Every port becomes SRV values under up to four
 * names, so `[1-65535]` (repeated) would otherwise cost millions of values and gigabytes.
 */
export const MAX_TASK_PORTS = 1024;

/**
 * Expands a Mesos port-range string into distinct ports, in order of first appearance.
 *
 * Upstream's rules, plus the fixes docs/spec.md §10 #14 asks for (upstream crashes on these):
 * - empty text or `[]`: no ports;
 * - the text between the first `[` and the following `]` is used; text without `[` is used
 *   whole (upstream crashes);
 * - pieces are split on commas and trimmed; `lo-hi` yields lo..hi inclusive, a bare number
 *   `31000` yields that port (upstream crashes); lo > hi yields nothing, like upstream;
 * - a piece whose ends are not decimal integers, or with more than one `-`, is skipped
 *   with a problem message;
 * - ports above 65535 are dropped (upstream would emit them and later wrap them to 16 bits,
 *   docs/spec.md §10 #41);
 * - overlapping and repeated ranges are merged before expanding (a port is listed once), and
 *   at most {@link MAX_TASK_PORTS} ports are kept, with one problem naming how many were
 *   skipped: the work a hostile string can cause is bounded by its length, not its ranges.
 */
export function parsePortRanges(text: string): PortRanges {
  const problems: string[] = [];
  if (text === "" || text === "[]") return { ports: [], problems };
  const ranges = readRanges(text, problems);
  // Ports already listed, as sorted disjoint ranges: at most MAX_TASK_PORTS of them, since
  // the loop stops at the cap, so each range costs O(MAX_TASK_PORTS) at worst.
  const covered: Array<[number, number]> = [];
  const ports: number[] = [];
  for (const [lo, hi] of ranges) {
    if (ports.length >= MAX_TASK_PORTS) break;
    for (const [from, to] of uncovered(covered, lo, hi)) {
      for (let port = from; port <= to && ports.length < MAX_TASK_PORTS; port++) ports.push(port);
    }
    cover(covered, lo, hi);
  }
  if (ports.length >= MAX_TASK_PORTS) {
    const total = distinctCount(ranges);
    if (total > MAX_TASK_PORTS) {
      problems.push(
        `more than ${MAX_TASK_PORTS} distinct ports (${total}); the last ${total - MAX_TASK_PORTS} skipped`,
      );
    }
  }
  return { ports, problems };
}

/** How many distinct ports `ranges` name: sorted and merged, O(n log n). */
function distinctCount(ranges: ReadonlyArray<[number, number]>): number {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -1;
  for (const [lo, hi] of sorted) {
    if (hi <= end) continue;
    total += hi - Math.max(lo, end + 1) + 1;
    end = hi;
  }
  return total;
}

/** The `[lo, hi]` ranges of `text`, in order, clamped to 65535; empty ranges left out. */
function readRanges(text: string, problems: string[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
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
    if (lo <= top) ranges.push([lo, top]);
  }
  return ranges;
}

/** The parts of `lo..hi` outside `covered` (sorted, disjoint, non-adjacent), ascending. */
function uncovered(
  covered: ReadonlyArray<[number, number]>,
  lo: number,
  hi: number,
): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let next = lo;
  for (const [from, to] of covered) {
    if (to < next) continue;
    if (from > hi) break;
    if (from > next) out.push([next, from - 1]);
    next = to + 1;
    if (next > hi) return out;
  }
  if (next <= hi) out.push([next, hi]);
  return out;
}

/** Adds `lo..hi` to `covered`, merging overlapping and adjacent ranges. */
function cover(covered: Array<[number, number]>, lo: number, hi: number): void {
  let start = 0;
  while (start < covered.length && covered[start]![1] < lo - 1) start++;
  let end = start;
  let from = lo;
  let to = hi;
  while (end < covered.length && covered[end]![0] <= hi + 1) {
    from = Math.min(from, covered[end]![0]);
    to = Math.max(to, covered[end]![1]);
    end++;
  }
  covered.splice(start, end - start, [from, to]);
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
