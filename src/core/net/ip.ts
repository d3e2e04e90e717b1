/**
 * IP literal parsing and formatting, and `host:port` splitting, without any runtime API.
 *
 * @module
 */

/** A parsed IP address: 4 bytes (IPv4) or 16 bytes (IPv6). */
export interface ParsedIp {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
}

const IPV4_PART = /^(?:0|[1-9][0-9]{0,2})$/;

/** Parses a dotted-quad IPv4 literal (no leading zeros, as Go's parser). */
export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (!IPV4_PART.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

/** Parses an IPv6 literal (with `::` and an optional embedded IPv4 tail, no zone). */
export function parseIpv6(text: string): Uint8Array | undefined {
  if (text.length < 2 || text.length > 45 || text.includes("%")) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] === "" ? [] : halves[0]!.split(":");
  const tail = halves.length === 2 && halves[1] !== "" ? halves[1]!.split(":") : [];
  // An embedded IPv4 tail can end the head only when there is no `::`.
  const headWords = toWords(head, halves.length === 1);
  const tailWords = toWords(tail, true);
  if (!headWords || !tailWords) return undefined;
  let words: number[];
  if (halves.length === 1) {
    if (headWords.length !== 8) return undefined;
    words = headWords;
  } else {
    const missing = 8 - headWords.length - tailWords.length;
    if (missing < 1) return undefined;
    words = [...headWords, ...new Array<number>(missing).fill(0), ...tailWords];
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[i * 2] = words[i]! >> 8;
    out[i * 2 + 1] = words[i]! & 0xff;
  }
  return out;
}

/** 16-bit words of colon-separated hex groups; the last group may be dotted IPv4 when allowed. */
function toWords(groups: string[], lastMayBeV4: boolean): number[] | undefined {
  const words: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (lastMayBeV4 && i === groups.length - 1 && g.includes(".")) {
      const v4 = parseIpv4(g);
      if (!v4) return undefined;
      words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    words.push(Number.parseInt(g, 16));
  }
  return words;
}

/** Parses an IPv4 or IPv6 literal. IPv4-mapped IPv6 stays family 6 here; see {@link classifyIp}. */
export function parseIp(text: string): ParsedIp | undefined {
  if (text.includes(":")) {
    const bytes = parseIpv6(text);
    return bytes ? { family: 6, bytes } : undefined;
  }
  const bytes = parseIpv4(text);
  return bytes ? { family: 4, bytes } : undefined;
}

/** True when `text` is an IPv4 or IPv6 literal. */
export function isIp(text: string): boolean {
  return parseIp(text) !== undefined;
}

function isV4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/**
 * The record family of an IP and its canonical text, as upstream stores task IPs (docs/spec.md §4.6):
 * anything representable as IPv4 (including IPv4-mapped IPv6) is A in dotted form,
 * everything else AAAA in compressed lower-case form.
 */
export function classifyIp(text: string): { type: "A" | "AAAA"; text: string } | undefined {
  const ip = parseIp(text);
  if (!ip) return undefined;
  if (ip.family === 4) return { type: "A", text: formatIpv4(ip.bytes) };
  if (isV4Mapped(ip.bytes)) return { type: "A", text: formatIpv4(ip.bytes.subarray(12)) };
  return { type: "AAAA", text: formatIpv6(ip.bytes) };
}

export function formatIpv4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/** RFC 5952 text: lower case, longest run (2+) of zero groups compressed, first run on ties. */
export function formatIpv6(bytes: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((bytes[i * 2]! << 8) | bytes[i * 2 + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(":");
  const left = hex.slice(0, bestStart).join(":");
  const right = hex.slice(bestStart + bestLen).join(":");
  return `${left}::${right}`;
}

/** Canonical text of an IP literal (IPv4 dotted, IPv6 RFC 5952), or undefined. */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIp(text);
  if (!ip) return undefined;
  return ip.family === 4 ? formatIpv4(ip.bytes) : formatIpv6(ip.bytes);
}

/**
 * Splits `host:port` the way Go's `net.SplitHostPort` does: IPv6 hosts must be bracketed,
 * a host with colons must be bracketed, the port is whatever follows the last colon (not checked).
 */
export function splitHostPort(text: string): { host: string; port: string } | undefined {
  if (text.startsWith("[")) {
    const end = text.indexOf("]");
    if (end < 0 || text[end + 1] !== ":") return undefined;
    const host = text.slice(1, end);
    const port = text.slice(end + 2);
    if (port.includes(":") || host.includes("[") || host.includes("]")) return undefined;
    return { host, port };
  }
  const colon = text.lastIndexOf(":");
  if (colon < 0) return undefined;
  const host = text.slice(0, colon);
  if (host.includes(":") || host.includes("[") || host.includes("]")) return undefined;
  const port = text.slice(colon + 1);
  if (port.includes("[") || port.includes("]")) return undefined;
  return { host, port };
}

/** Joins host and port, bracketing IPv6 hosts. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Parses a decimal port 1..65535; undefined otherwise. */
export function parsePort(text: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/**
 * A fast check for the common case of an IP value in the state: an IPv4 address already in
 * canonical dotted-quad form. It allocates nothing, so the state's own string can be stored.
 * True when `text` is `a.b.c.d` with each part 0..255 written without leading zeros. */
export function isCanonicalIpv4(text: string): boolean {
  const length = text.length;
  if (length < 7 || length > 15) return false;
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= length; i++) {
    const c = i < length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255) return false;
      parts++;
      value = 0;
      digits = 0;
      continue;
    }
    if (c < 48 || c > 57) return false;
    if (digits > 0 && value === 0) return false; // a leading zero
    value = value * 10 + (c - 48);
    digits++;
  }
  return parts === 4;
}
