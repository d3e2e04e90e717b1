/**
 * A fast check for the common case of an IP value in the state: an IPv4 address already in
 * canonical dotted-quad form. It allocates nothing, so the state's own string can be stored.
 *
 * @module
 */

/** True when `text` is `a.b.c.d` with each part 0..255 written without leading zeros. */
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
