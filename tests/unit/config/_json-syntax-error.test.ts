import { describe, expect, test } from "bun:test";
import { findJsonSyntaxError } from "../../../src/core/config/_json-syntax-error.ts";

describe("findJsonSyntaxError()", () => {
  test("findJsonSyntaxError() finds nothing in valid JSON", () => {
    for (const text of [
      "{}",
      " [ ] ",
      '{"a": [1, -0.5e+3, 2E7, true, false, null, "x\\u00e9\\n\\"", {}], "b": {"c": []}}',
      "0",
      '"\u00e9"',
    ]) {
      expect(findJsonSyntaxError(text)).toBeUndefined();
      expect(() => JSON.parse(text)).not.toThrow();
    }
  });
  test("findJsonSyntaxError() agrees with JSON.parse on what is invalid", () => {
    const END = "unexpected end of input";
    for (const [text, column, problem] of [
      ["{,}", 2, 'unexpected ","'],
      ["[1,]", 4, 'unexpected "]"'],
      ['{"a" 1}', 6, 'unexpected "1"'],
      ['{"a":}', 6, 'unexpected "}"'],
      ["-", 2, END],
      ["1.", 3, END],
      ["1e", 3, END],
      ["nul", 4, END],
      ['"\\u12"', 6, 'unexpected "\\""'],
      ["[1 2]", 4, 'unexpected "2"'],
      ["{'a': 1}", 2, `unexpected "'"`],
    ] as const) {
      expect(() => JSON.parse(text)).toThrow();
      expect(findJsonSyntaxError(text)).toEqual({ line: 1, column, problem });
    }
  });
  test("findJsonSyntaxError() counts columns in characters, not UTF-16 units", () => {
    expect(findJsonSyntaxError('{"😀": 1 2}')).toEqual({ line: 1, column: 9, problem: 'unexpected "2"' });
  });
  test("findJsonSyntaxError() handles deep nesting without recursion", () => {
    const deep = `${"[".repeat(100000)}${"]".repeat(99999)}}`;
    expect(findJsonSyntaxError(deep)).toEqual({ line: 1, column: 200000, problem: 'unexpected "}"' });
  });
});
