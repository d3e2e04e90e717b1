/**
 * Where a JSON text first breaks the grammar (RFC 8259), as line and column: engines differ
 * in what their `JSON.parse` errors say (Bun's name no position at all), so config errors
 * find the place themselves and read the same on every runtime.
 *
 * @module
 */

/** The first offending character of a JSON text. */
export interface JsonSyntaxError {
  /** 1-based line (lines end at `\n`). */
  readonly line: number;
  /** 1-based column, counted in characters (code points). */
  readonly column: number;
  /** `unexpected "}"`, or `unexpected end of input`. */
  readonly problem: string;
}

// What the scanner expects next.
const STATE = { value: 0, afterValue: 1, keyOrEnd: 2, key: 3, valueOrEnd: 4 } as const;
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const LITERALS: Readonly<Record<string, string>> = { t: "true", f: "false", n: "null" };

/**
 * Scans `text` as one JSON value and returns the position of the first character that
 * cannot continue it, or undefined when the text is valid JSON. Iterative, so deep nesting
 * cannot overflow the stack.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const n = text.length;
  let i = 0;
  const at = (offset: number): JsonSyntaxError => position(text, offset);
  const skipSpace = (): void => {
    for (; i < n; i++) {
      const c = text[i];
      if (c !== " " && c !== "\t" && c !== "\n" && c !== "\r") return;
    }
  };
  /** Scans a string starting at `i` (a `"`); returns the offset of an error, or -1. */
  const scanString = (): number => {
    i++;
    for (;;) {
      if (i >= n) return n;
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return -1;
      }
      if (c < 0x20) return i;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === undefined) return n;
        if (e === "u") {
          for (let k = 2; k < 6; k++) {
            if (i + k >= n) return n;
            if (!/[0-9a-fA-F]/.test(text[i + k]!)) return i + k;
          }
          i += 6;
        } else if (ESCAPES.has(e)) i += 2;
        else return i + 1;
        continue;
      }
      i++;
    }
  };
  const digits = (): boolean => {
    const start = i;
    while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    return i > start;
  };
  /** Scans a number starting at `i`; returns the offset of an error, or -1. */
  const scanNumber = (): number => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else if (!digits()) return i;
    if (text[i] === ".") {
      i++;
      if (!digits()) return i;
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      if (!digits()) return i;
    }
    return -1;
  };

  // Open containers, innermost last: true for an object, false for an array.
  const stack: boolean[] = [];
  let state: number = STATE.value;
  for (;;) {
    skipSpace();
    if (state === STATE.afterValue && stack.length === 0) return i < n ? at(i) : undefined;
    if (i >= n) return at(n);
    const c = text[i]!;
    if (state === STATE.keyOrEnd || state === STATE.valueOrEnd) {
      if (c === (state === STATE.keyOrEnd ? "}" : "]")) {
        stack.pop();
        i++;
        state = STATE.afterValue;
      } else state = state === STATE.keyOrEnd ? STATE.key : STATE.value;
      continue;
    }
    if (state === STATE.key) {
      if (c !== '"') return at(i);
      const bad = scanString();
      if (bad >= 0) return at(bad);
      skipSpace();
      if (i >= n || text[i] !== ":") return at(i);
      i++;
      state = STATE.value;
      continue;
    }
    if (state === STATE.afterValue) {
      const inObject = stack[stack.length - 1]!;
      if (c === ",") state = inObject ? STATE.key : STATE.value;
      else if (c === (inObject ? "}" : "]")) stack.pop();
      else return at(i);
      i++;
      continue;
    }
    // state === value
    if (c === "{" || c === "[") {
      stack.push(c === "{");
      i++;
      state = c === "{" ? STATE.keyOrEnd : STATE.valueOrEnd;
      continue;
    }
    let bad = -1;
    const literal = LITERALS[c];
    if (c === '"') bad = scanString();
    else if (c === "-" || (c >= "0" && c <= "9")) bad = scanNumber();
    else if (literal !== undefined) {
      for (let k = 0; k < literal.length && bad < 0; k++) {
        if (i + k >= n || text[i + k] !== literal[k]) bad = Math.min(i + k, n);
      }
      i += literal.length;
    } else bad = i;
    if (bad >= 0) return at(bad);
    state = STATE.afterValue;
  }
}

/** Line and column of `offset` in `text`, and what is found there. */
function position(text: string, offset: number): JsonSyntaxError {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf("\n"); k >= 0 && k < offset; k = text.indexOf("\n", k + 1)) {
    line++;
    lineStart = k + 1;
  }
  const column = [...text.slice(lineStart, offset)].length + 1;
  if (offset >= text.length) return { line, column, problem: "unexpected end of input" };
  const found = String.fromCodePoint(text.codePointAt(offset)!);
  return { line, column, problem: `unexpected ${JSON.stringify(found)}` };
}
