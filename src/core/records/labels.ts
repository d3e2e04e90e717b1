/**
 * DNS label sanitisation (docs/spec.md §5.2): turns framework, task, DiscoveryInfo, port and
 * protocol names from the Mesos state into DNS labels, exactly as upstream does.
 *
 * @module
 */

const HYPHEN = 45;

/** Maps one name character by character: A-Z lowered, a-z/0-9 kept, `-._` to `-`, the rest dropped. */
function mapChars(name: string): string {
  // Fast path: most task names are already lower-case labels.
  let clean = true;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === HYPHEN)) {
      clean = false;
      break;
    }
  }
  if (clean) return name;
  let out = "";
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) out += name[i];
    else if (c >= 65 && c <= 90) out += String.fromCharCode(c + 32);
    else if (c === HYPHEN || c === 46 || c === 95) out += "-";
    // Everything else, including every non-ASCII code unit, is dropped (upstream drops non-ASCII runes).
  }
  return out;
}

/**
 * Upstream's cut procedure (docs/spec.md §5.2 steps 1-4). The result can end in `-` when the tail
 * refill lands on a hyphen: a kept upstream quirk (docs/spec.md §10 #21), because names must match.
 */
function cut(s: string, max: number, stripLeadingDigits: boolean): string {
  let start = 0;
  while (start < s.length) {
    const c = s.charCodeAt(start);
    if (c === HYPHEN || (stripLeadingDigits && c >= 48 && c <= 57)) start++;
    else break;
  }
  const body = start === 0 ? s : s.slice(start);
  const n = Math.min(body.length, max);
  let end = n;
  while (end > 0 && body.charCodeAt(end - 1) === HYPHEN) end--;
  if (end === n) return n === body.length ? body : body.slice(0, n);
  const head = body.slice(0, end);
  let tailStart = n;
  while (tailStart < body.length && body.charCodeAt(tailStart) === HYPHEN) tailStart++;
  const room = n - head.length;
  return head + body.slice(tailStart, Math.min(body.length, tailStart + room));
}

/**
 * Sanitises `name` into one DNS label (docs/spec.md §5.2). RFC 1123 mode: at most 63 characters,
 * no leading or trailing `-`. RFC 952 mode (`rfc952` true): at most 24 characters, no
 * leading digits either. Dots become hyphens. May return the empty string.
 */
export function label(name: string, rfc952: boolean): string {
  return rfc952 ? cut(mapChars(name), 24, true) : cut(mapChars(name), 63, false);
}

/**
 * Sanitises `name` into a domain fragment (docs/spec.md §5.2): each dot-separated piece through
 * {@link label}, empty results dropped, joined with dots. Used for framework names.
 */
export function frag(name: string, rfc952: boolean): string {
  const out: string[] = [];
  for (const piece of name.split(".")) {
    const l = label(piece, rfc952);
    if (l !== "") out.push(l);
  }
  return out.join(".");
}
