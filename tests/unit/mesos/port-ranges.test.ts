import { describe, expect, test } from "bun:test";
import { MAX_TASK_PORTS, parsePortRanges } from "../../../src/core/mesos/port-ranges.ts";

describe("parsePortRanges()", () => {
  test("parsePortRanges() expands ranges in order (docs/spec.md §4.3 example)", () => {
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
  test("parsePortRanges() merges overlapping and repeated ranges, keeping first-appearance order", () => {
    expect(parsePortRanges("[31000-31003, 31002-31005, 31000-31001]")).toEqual({
      ports: [31000, 31001, 31002, 31003, 31004, 31005],
      problems: [],
    });
    expect(parsePortRanges("[31005-31006, 31000-31001, 31006-31007, 31001]").ports).toEqual([
      31005, 31006, 31000, 31001, 31007,
    ]);
  });
  test("parsePortRanges() keeps at most 1024 distinct ports, with one problem naming the rest skipped", () => {
    const result = parsePortRanges("[1000-1999, 3000-3099]");
    expect(result.ports).toHaveLength(MAX_TASK_PORTS);
    expect(MAX_TASK_PORTS).toBe(1024);
    expect(result.ports[1023]).toBe(3023);
    expect(result.problems).toEqual(["more than 1024 distinct ports (1100); the last 76 skipped"]);
  });
  test("parsePortRanges() merges a hostile string repeating [1-65535] into 1024 ports", () => {
    const text = `[${Array.from({ length: 200 }, () => "1-65535").join(", ")}]`;
    const result = parsePortRanges(text);
    expect(result.ports).toHaveLength(1024);
    expect(result.ports[0]).toBe(1);
    expect(result.ports[1023]).toBe(1024);
    expect(result.problems).toEqual(["more than 1024 distinct ports (65535); the last 64511 skipped"]);
  });
});

describe("parsePortRanges() bounds", () => {
  test("parsePortRanges() caps a long list of distinct single ports at 1024", () => {
    const text = `[${Array.from({ length: 60000 }, (_, i) => `${i + 1}`).join(",")}]`;
    const result = parsePortRanges(text);
    expect(result.ports).toHaveLength(1024);
    expect(result.problems).toEqual(["more than 1024 distinct ports (60000); the last 58976 skipped"]);
  });
  test("parsePortRanges() counts distinct ports across overlapping ranges in any order", () => {
    const result = parsePortRanges("[2000-2600, 1000-1500, 1400-1450, 1500-1600, 2600-2601]");
    expect(result.ports).toHaveLength(1024);
    expect(result.problems).toEqual(["more than 1024 distinct ports (1203); the last 179 skipped"]);
  });
});
