import { describe, expect, test } from "bun:test";
import { goMarshalIndent, goQuote } from "../../../src/core/http/_go-json.ts";

// Expected texts are what Go's json.MarshalIndent(v, " ", " ") writes for the same values.
describe("goMarshalIndent()", () => {
  test("goMarshalIndent() writes the /v1/version body with one-space prefix and indent, no newline at the end", () => {
    const body = { Service: "Mesos-DNS", URL: "https://github.com/mesosphere/mesos-dns", Version: "v0.7.0" };
    expect(goMarshalIndent(body)).toBe(
      '{\n  "Service": "Mesos-DNS",\n  "URL": "https://github.com/mesosphere/mesos-dns",\n  "Version": "v0.7.0"\n }',
    );
  });

  test("goMarshalIndent() nests one more space per level (the /v1/hosts placeholder)", () => {
    expect(goMarshalIndent([{ host: "", ip: "" }])).toBe('[\n  {\n   "host": "",\n   "ip": ""\n  }\n ]');
  });

  test("goMarshalIndent() keeps empty arrays and objects on one line", () => {
    expect(goMarshalIndent({ a: [], b: {}, c: [[]] })).toBe(
      '{\n  "a": [],\n  "b": {},\n  "c": [\n   []\n  ]\n }',
    );
    expect(goMarshalIndent([])).toBe("[]");
    expect(goMarshalIndent({})).toBe("{}");
  });

  test("goMarshalIndent() writes scalars as Go does", () => {
    expect(goMarshalIndent({ n: null, t: true, f: false, i: 60, x: 0.5, big: 1795628473, neg: -3 })).toBe(
      '{\n  "n": null,\n  "t": true,\n  "f": false,\n  "i": 60,\n  "x": 0.5,\n  "big": 1795628473,\n  "neg": -3\n }',
    );
    expect(goMarshalIndent(1e21)).toBe("1e+21");
    expect(goMarshalIndent(1e-7)).toBe("1e-7");
    expect(goMarshalIndent(-0)).toBe("0");
  });

  test("goMarshalIndent() keeps the given key order and leaves out undefined members", () => {
    expect(goMarshalIndent({ z: 1, a: undefined, m: 2 })).toBe('{\n  "z": 1,\n  "m": 2\n }');
  });

  test("goMarshalIndent() throws on non-finite numbers and unsupported types, as Go's encoder errs", () => {
    expect(() => goMarshalIndent(Number.NaN)).toThrow("unsupported value");
    expect(() => goMarshalIndent({ f: () => 1 })).toThrow("unsupported type");
  });

  test("goMarshalIndent() output parses back to the same value", () => {
    const value = { frameworks: [{ tasks: [{ name: "a<b>&c", id: "x", records: [] }], name: "é \u2028" }] };
    expect(JSON.parse(goMarshalIndent(value))).toEqual(value);
  });
});

describe("goQuote()", () => {
  test("goQuote() escapes <, > and & as \\u003c, \\u003e and \\u0026", () => {
    expect(goQuote("<a href='x'>&</a>")).toBe("\"\\u003ca href='x'\\u003e\\u0026\\u003c/a\\u003e\"");
  });

  test("goQuote() uses short escapes for quote, backslash and common controls, \\u00XX for the rest", () => {
    expect(goQuote('"\\\n\r\t')).toBe('"\\"\\\\\\n\\r\\t"');
    expect(goQuote("\u0000\u001f\u007f")).toBe('"\\u0000\\u001f\u007f"');
  });

  test("goQuote() escapes U+2028 and U+2029 and replaces lone surrogates with U+FFFD", () => {
    expect(goQuote("\u2028\u2029")).toBe('"\\u2028\\u2029"');
    expect(goQuote("a\ud800b\udc00")).toBe('"a\ufffdb\ufffd"');
    expect(goQuote("😀")).toBe('"😀"');
  });
});
