import { describe, expect, test } from "bun:test";
import { errorMessage, escapeControls, quote } from "../../../src/core/log/log-text.ts";

describe("log text", () => {
  test("escapeControls() keeps one event on one line", () => {
    expect(escapeControls("evil\n ERROR forged\r\t\u0000x")).toBe("evil\\n ERROR forged\\r\\t\\u0000x");
  });

  test("escapeControls() escapes DEL, C1 controls and the Unicode line separators", () => {
    expect(escapeControls("a\u007fb\u0085c\u2028d\u2029e")).toBe("a\\u007fb\\u0085c\\u2028d\\u2029e");
    expect(escapeControls("plain text, é and ☃")).toBe("plain text, é and ☃");
  });

  test("quote() is JSON quoting with the controls JSON leaves escaped too", () => {
    expect(quote('10.0.0.1:5050\nFAKE "x"')).toBe('"10.0.0.1:5050\\nFAKE \\"x\\""');
    expect(quote("a\u2028b")).toBe('"a\\u2028b"');
  });

  test("errorMessage() gives an Error's message and the text of anything else, never undefined", () => {
    expect(errorMessage(new TypeError("bad"))).toBe("bad");
    expect(errorMessage("plain")).toBe("plain");
    expect(errorMessage(42)).toBe("42");
    expect(errorMessage(undefined)).toBe("undefined");
    expect(errorMessage({ toString: () => "object text" })).toBe("object text");
    const hostile = {
      toString() {
        throw new Error("no");
      },
    };
    expect(errorMessage(hostile)).toBe("unknown error");
  });
});
