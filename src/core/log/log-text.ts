/**
 * Text that reaches a log line or an error message from outside (a master, ZooKeeper, a
 * state document, a query): quoted and escaped here, in one way, so that no such text can
 * start a forged log line.
 *
 * @module
 */

/** Characters a log line must not carry as they are: C0 controls, DEL, C1 controls, U+2028/9. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function escapeOne(c: string): string {
  if (c === "\n") return "\\n";
  if (c === "\r") return "\\r";
  if (c === "\t") return "\\t";
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** `text` on one line: `\n`, `\r`, `\t` as those escapes, every other control as `\uXXXX`. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, escapeOne);
}

/** `value` in double quotes, JSON-escaped, with the controls JSON leaves as they are escaped too. */
export function quote(value: string): string {
  return escapeControls(JSON.stringify(value));
}

/** The message of anything thrown: an Error's message, else its text (never `undefined`). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  try {
    return String(error);
  } catch {
    return "unknown error";
  }
}
