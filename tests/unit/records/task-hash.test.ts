import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { sha1Hex, taskHash } from "../../../src/core/records/task-hash.ts";

describe("taskHash()", () => {
  test("taskHash() gives the docs/spec.md §5.8 vectors", () => {
    expect(taskHash("test")).toBe("iffe9");
    expect(taskHash("nginx.48dccce7-90bc-11e6-ae70-70b3d5800001")).toBe("jhy6r");
  });

  test("taskHash() gives the fixture's canonical-name hashes", () => {
    expect(taskHash("toy-store.b8db9f73-562f-11e4-a088-c20493233aa5")).toBe("go588");
    expect(taskHash("liquor-store.b8db9f73-562f-11e4-a088-c20493233aa5")).toBe("4dfjd");
  });

  test("sha1Hex() matches node:crypto across block boundaries and for non-ASCII text", () => {
    const inputs = [
      "",
      "abc",
      "a".repeat(55),
      "a".repeat(56),
      "a".repeat(64),
      "a".repeat(119),
      "x".repeat(5000),
    ];
    inputs.push("caf\u00e9 \u{1F600} \u6f22", "lone \ud800 surrogate", "\udc00");
    for (const input of inputs) {
      expect(sha1Hex(input)).toBe(createHash("sha1").update(new TextEncoder().encode(input)).digest("hex"));
    }
  });

  test("sha1Hex() matches node:crypto for random short and long, ASCII and other texts", () => {
    const texts = fc.oneof(
      fc.string({ unit: "binary-ascii", maxLength: 80 }),
      fc.string({ unit: "grapheme", maxLength: 40 }),
      fc.string({
        unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
        maxLength: 60,
      }),
    );
    fc.assert(
      fc.property(texts, (input) => {
        expect(sha1Hex(input)).toBe(createHash("sha1").update(new TextEncoder().encode(input)).digest("hex"));
      }),
      { numRuns: 2000 },
    );
  });
});
