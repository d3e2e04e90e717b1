/**
 * Ordered access to a JSON object's members. `JSON.parse` keeps only the last value of a
 * duplicate key, at the position of its first occurrence; upstream's decoder applies members
 * in file order, so "the later duplicate wins" needs the members as written.
 *
 * @module
 */

/**
 * The members of a JSON object, in file order and with duplicates, each value as its JSON text.
 * `text` must already be known to be valid JSON whose top level is an object.
 */
export function objectEntries(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let i = skipSpace(text, 0) + 1;
  i = skipSpace(text, i);
  if (text[i] === "}") return out;
  for (;;) {
    i = skipSpace(text, i);
    const keyEnd = stringEnd(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, skipSpace(text, keyEnd) + 1);
    const end = valueEnd(text, i);
    out.push([key, text.slice(i, end)]);
    i = skipSpace(text, end);
    if (text[i] !== ",") return out;
    i++;
  }
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  return i;
}

/** Index just past the closing quote of the string starting at `i`. */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
  return j + 1;
}

/** Index just past the JSON value starting at `i`. */
function valueEnd(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return stringEnd(text, i);
  if (c === "{" || c === "[") {
    let depth = 0;
    let j = i;
    for (;;) {
      const ch = text[j];
      if (ch === '"') {
        j = stringEnd(text, j);
        continue;
      }
      if (ch === "{" || ch === "[") depth++;
      else if (ch === "}" || ch === "]") {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
  }
  let j = i;
  while (j < text.length && !",}] \t\n\r".includes(text[j]!)) j++;
  return j;
}
