import { describe, expect, test } from "bun:test";
import {
  initialMasters,
  leaderOf,
  sameMasters,
  staticMasters,
  withLeader,
  withMembers,
  withoutLeader,
} from "../../../src/core/mesos/masters-list.ts";

describe("masters list (docs/spec.md §3.1, 3.3)", () => {
  test("initialMasters() puts an unknown leader before the configured masters", () => {
    expect(initialMasters(["1.1.1.1:5050", "1.1.1.2:5050"])).toEqual(["", "1.1.1.1:5050", "1.1.1.2:5050"]);
    expect(initialMasters(null)).toEqual([""]);
  });

  test("staticMasters() is exactly the configured list, first one in the leader slot", () => {
    expect(staticMasters(["1.1.1.1:5050", "1.1.1.2:5050"])).toEqual(["1.1.1.1:5050", "1.1.1.2:5050"]);
    expect(staticMasters(null)).toEqual([]);
  });

  test("withLeader() puts the new leader first and removes it from the fallbacks (upstream vectors)", () => {
    let list = initialMasters(["1.1.1.1:5050", "1.1.1.2:5050"]);
    list = withLeader(list, "1.1.1.1:5050");
    expect(list).toEqual(["1.1.1.1:5050", "1.1.1.2:5050"]);
    list = withLeader(list, "1.1.1.3:5050");
    expect(list).toEqual(["1.1.1.3:5050", "1.1.1.2:5050"]);
    list = withLeader(list, "1.1.1.2:5050");
    expect(list).toEqual(["1.1.1.2:5050"]);
  });

  test("withLeader() with an empty leader keeps the fallbacks (no-leader event)", () => {
    expect(withLeader(["1.1.1.1:5050", "1.1.1.2:5050"], "")).toEqual(["", "1.1.1.2:5050"]);
  });

  test("withoutLeader() empties the leader slot but keeps the old leader first among the fallbacks", () => {
    expect(withoutLeader(["10.0.0.9:5050", "10.0.0.2:5050"])).toEqual(["", "10.0.0.9:5050", "10.0.0.2:5050"]);
    expect(withoutLeader(["", "10.0.0.2:5050"])).toEqual(["", "10.0.0.2:5050"]);
  });

  test("withMembers() keeps the leader slot and orders the members by ZooKeeper sequence number", () => {
    const list = withMembers(
      ["1.1.1.2:5050", "9.9.9.9:5050"],
      [
        { address: "10.0.0.3:5050", sequence: 7 },
        { address: "1.1.1.2:5050", sequence: 1 },
        { address: "10.0.0.10:5050", sequence: 3 },
        { address: "", sequence: 0 },
        { address: "10.0.0.3:5050", sequence: 2 },
      ],
    );
    // 10.0.0.3 is listed twice and keeps its lowest sequence (2); the empty address is dropped.
    expect(list).toEqual(["1.1.1.2:5050", "10.0.0.3:5050", "10.0.0.10:5050"]);
  });

  test("withMembers() numbers the same membership identically whatever the input order, oldest first", () => {
    const m = (address: string, sequence: number) => ({ address, sequence });
    const a = withMembers([""], [m("10.0.0.1:5050", 12), m("10.0.0.9:5050", 3), m("10.0.0.5:5050", 40)]);
    const b = withMembers([""], [m("10.0.0.5:5050", 40), m("10.0.0.1:5050", 12), m("10.0.0.9:5050", 3)]);
    expect(a).toEqual(b);
    expect(a).toEqual(["", "10.0.0.9:5050", "10.0.0.1:5050", "10.0.0.5:5050"]);
  });

  test("leaderOf() and sameMasters() read lists", () => {
    expect(leaderOf([])).toBe("");
    expect(leaderOf(["a:1", "b:2"])).toBe("a:1");
    expect(sameMasters(["a:1", "b:2"], ["a:1", "b:2"])).toBe(true);
    expect(sameMasters(["a:1", "b:2"], ["b:2", "a:1"])).toBe(false);
  });
});
