/**
 * Go's `json.MarshalIndent(v, " ", " ")`, the body format of upstream's HTTP API
 * (docs/spec.md §8.1): one space as line prefix and one per indentation level, `"key": value`,
 * empty arrays and objects kept as `[]` and `{}`, no trailing newline, keys in the
 * object's own order (callers sort map keys where Go would), and Go's string escaping
 * (`<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX`, lone surrogates as U+FFFD).
 *
 * @module
 */

/**
 * Formats `value` as Go's `json.MarshalIndent(value, " ", " ")` would.
 * `undefined` object members are left out (as `omitempty` would); non-finite numbers
 * throw, as Go's encoder returns an error for them.
 */
export function goMarshalIndent(value: unknown): string {
  const out: string[] = [];
  write(value, "\n ", out);
  return out.join("");
}

function write(value: unknown, newline: string, out: string[]): void {
  if (value === null || value === undefined) {
    out.push("null");
  } else if (typeof value === "string") {
    out.push(goQuote(value));
  } else if (typeof value === "number") {
    // Go switches to exponent form below 1e-6 and from 1e21, like JS, and writes
    // "1e-7"/"1e+21" the same way, so String() matches for every finite float.
    if (!Number.isFinite(value)) throw new Error(`json: unsupported value: ${value}`);
    out.push(Object.is(value, -0) ? "0" : String(value));
  } else if (typeof value === "boolean") {
    out.push(value ? "true" : "false");
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push("[]");
      return;
    }
    const inner = newline + " ";
    out.push("[");
    value.forEach((item, i) => {
      out.push(i === 0 ? inner : "," + inner);
      write(item, inner, out);
    });
    out.push(newline, "]");
  } else if (typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) {
      out.push("{}");
      return;
    }
    const inner = newline + " ";
    out.push("{");
    entries.forEach(([key, item], i) => {
      out.push(i === 0 ? inner : "," + inner, goQuote(key), ": ");
      write(item, inner, out);
    });
    out.push(newline, "}");
  } else {
    throw new Error(`json: unsupported type: ${typeof value}`);
  }
}

// `\b` and `\f` as Go >= 1.22 writes them (older Go wrote \u0008 and \u000c; same JSON value).
const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

// Control characters, the HTML-sensitive `<>&`, the JS line terminators and lone surrogates.
const NEEDS_ESCAPE =
  /["\\\u0000-\u001f<>&\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A JSON string literal escaped as Go's encoder does with HTML escaping on (its default). */
export function goQuote(text: string): string {
  return (
    '"' +
    text.replace(NEEDS_ESCAPE, (c) => {
      const short = SHORT_ESCAPES[c];
      if (short !== undefined) return short;
      if (c.length === 1 && c >= "\ud800" && c <= "\udfff") return "\ufffd";
      return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");
    }) +
    '"'
  );
}
