import { describe, expect, test } from "bun:test";
import { parsePortRanges } from "../../src/core/port-ranges.ts";

describe("parsePortRanges()", () => {
  test("parsePortRanges() expands ranges in order (SPEC 4.3 example)", () => {
    expect(parsePortRanges("[31111-31111, 31115-31117]")).toEqual({
      ports: [31111, 31115, 31116, 31117],
      problems: [],
    });
  });
  test("parsePortRanges() gives no ports for the empty string and []", () => {
    expect(parsePortRanges("").ports).toEqual([]);
    expect(parsePortRanges("[]").ports).toEqual([]);
  });
  test("parsePortRanges() yields nothing for a range whose low end exceeds its high end", () => {
    expect(parsePortRanges("[31005-31001]")).toEqual({ ports: [], problems: [] });
  });
  test("parsePortRanges() accepts a bare port without a hyphen (upstream crashed)", () => {
    expect(parsePortRanges("[31000]").ports).toEqual([31000]);
  });
  test("parsePortRanges() uses text without brackets whole (upstream crashed)", () => {
    expect(parsePortRanges("31000-31001").ports).toEqual([31000, 31001]);
  });
  test("parsePortRanges() skips a piece whose ends are not numbers, keeping the others", () => {
    const result = parsePortRanges("[abc-31001, 31002-31002, 1-2-3, -5]");
    expect(result.ports).toEqual([31002]);
    expect(result.problems).toHaveLength(3);
  });
  test("parsePortRanges() drops ports above 65535 with a problem, bounding huge ranges", () => {
    const result = parsePortRanges("[65534-4294967295, 70000-70001]");
    expect(result.ports).toEqual([65534, 65535]);
    expect(result.problems).toHaveLength(2);
  });
  test("parsePortRanges() reads only up to the first ]", () => {
    expect(parsePortRanges("[1-2] [3-4]").ports).toEqual([1, 2]);
  });
});
