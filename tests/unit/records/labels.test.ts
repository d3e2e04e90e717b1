import { describe, expect, test } from "bun:test";
import { frag, label } from "../../../src/core/records/labels.ts";

const both: [string, string][] = [
  ["", ""],
  ["a", "a"],
  ["-", ""],
  ["a---", "a"],
  ["---a---", "a"],
  ["---a---b", "a---b"],
  ["a.b.c.d.e", "a-b-c-d-e"],
  ["a.c.d_de.", "a-c-d-de"],
  ["abc123", "abc123"],
  ["-abc123", "abc123"],
  ["abc123-", "abc123"],
  ["abc--123", "abc--123"],
  ["r29f.dev.angrypigs", "r29f-dev-angrypigs"],
  [`hello${"-".repeat(58)}f`, "hellof"],
];

const rfc952: [string, string][] = [
  ["4abc123", "abc123"],
  ["-4abc123", "abc123"],
  ["fd%gsf---gs7-f$gs--d7fddg-123", "fdgsf---gs7-fgs--d7fddg1"],
  ["89fdgsf---gs7-fgs--d7fddg-123", "fdgsf---gs7-fgs--d7fddg1"],
  ["89fdgsf---gs7-fgs--d7fddg---123", "fdgsf---gs7-fgs--d7fddg1"],
  ["89fdgsf---gs7-fgs--d7fddg-", "fdgsf---gs7-fgs--d7fddg"],
  ["chronos with a space AND MIXED CASE-2.0.1", "chronoswithaspaceandmixe"],
  [`hello${"-".repeat(56)}f`, "hellof"],
  // Upstream's cut can leave a trailing hyphen (docs/spec.md §10 #21), kept for name compatibility.
  ["abcdefghijklmnopqrstuv--a-b", "abcdefghijklmnopqrstuva-"],
];

const rfc1123: [string, string][] = [
  ["4abc123", "4abc123"],
  ["-4abc123", "4abc123"],
  ["89fdgsf---gs7-fgs--d7fddg---123", "89fdgsf---gs7-fgs--d7fddg---123"],
  [
    "fd%gsf---gs7-f$gs--d7fddg123456789012345678901234567890123456789-123",
    "fdgsf---gs7-fgs--d7fddg1234567890123456789012345678901234567891",
  ],
  [
    "##fdgsf---gs7-fgs--d7fddg123456789012345678901234567890123456789-",
    "fdgsf---gs7-fgs--d7fddg123456789012345678901234567890123456789",
  ],
  [`hello${"-".repeat(56)}f`, `hello${"-".repeat(56)}f`],
];

describe("label()", () => {
  for (const [input, want] of both) {
    test(`label() maps ${JSON.stringify(input)} to ${JSON.stringify(want)} in both modes`, () => {
      expect(label(input, false)).toBe(want);
      expect(label(input, true)).toBe(want);
    });
  }
  for (const [input, want] of rfc952) {
    test(`label() in RFC 952 mode maps ${JSON.stringify(input)} to ${JSON.stringify(want)}`, () => {
      expect(label(input, true)).toBe(want);
    });
  }
  for (const [input, want] of rfc1123) {
    test(`label() in RFC 1123 mode maps ${JSON.stringify(input)} to ${JSON.stringify(want)}`, () => {
      expect(label(input, false)).toBe(want);
    });
  }
  test("label() drops non-ASCII characters, emoji included", () => {
    expect(label("caf\u00e9-\u{1F600}-bar", false)).toBe("caf--bar");
    expect(label("\u{1F600}\u{1F600}", false)).toBe("");
  });
  test("label() never returns more than 63 (RFC 1123) or 24 (RFC 952) characters", () => {
    const long = "x-".repeat(200);
    expect(label(long, false).length).toBeLessThanOrEqual(63);
    expect(label(long, true).length).toBeLessThanOrEqual(24);
    expect(label("-".repeat(300), false)).toBe("");
  });
});

describe("frag()", () => {
  const vectors: [string, string][] = [
    ["", ""],
    [".", ""],
    ["..", ""],
    ["abc.", "abc"],
    [".abc", "abc"],
    ["a..c", "a.c"],
    ["a.c..e", "a.c.e"],
    ["space space.com", "spacespace.com"],
    ["not$1234.com", "not1234.com"],
    ["(@ host . com", "host.com"],
    ["MiXeDcase.CoM", "mixedcase.com"],
  ];
  for (const [input, want] of vectors) {
    test(`frag() maps ${JSON.stringify(input)} to ${JSON.stringify(want)} in both modes`, () => {
      expect(frag(input, false)).toBe(want);
      expect(frag(input, true)).toBe(want);
    });
  }
  test("frag() sanitises each dot-separated piece in the configured mode", () => {
    expect(frag("pod_123$abc.marathon-0.6.0-dev.mesos", false)).toBe("pod-123abc.marathon-0.6.0-dev.mesos");
    expect(frag("pod_123$abc.marathon-0.6.0-dev.mesos", true)).toBe("pod-123abc.marathon-0.dev.mesos");
  });
});
