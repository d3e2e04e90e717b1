import { describe, expect, test } from "bun:test";
import { createUpstreamHealth } from "../../../src/core/forward/upstream-health.ts";

function setup() {
  let t = 1_000_000;
  const health = createUpstreamHealth({ now: () => t });
  const order = (list: string[]) => health.order(list, (x) => x);
  return { health, order, advance: (ms: number) => (t += ms) };
}

describe("createUpstreamHealth()", () => {
  test("order() keeps the configured order while nobody failed 3 times in a row", () => {
    const { health, order } = setup();
    health.failure("a");
    health.failure("a");
    expect(order(["a", "b", "c"])).toEqual(["a", "b", "c"]);
  });

  test("order() moves a resolver that failed its last 3 attempts to the end", () => {
    const { health, order } = setup();
    for (let i = 0; i < 3; i++) health.failure("a");
    expect(order(["a", "b", "c"])).toEqual(["b", "c", "a"]);
    expect(health.cooling("a")).toBe(true);
  });

  test("a success resets the count of consecutive failures", () => {
    const { health, order } = setup();
    health.failure("a");
    health.failure("a");
    health.success("a");
    health.failure("a");
    expect(order(["a", "b"])).toEqual(["a", "b"]);
  });

  test("order() tries a resolver in its place again after the cooling-off period, and one more failure cools it again", () => {
    const { health, order, advance } = setup();
    for (let i = 0; i < 3; i++) health.failure("a");
    advance(29_999);
    expect(order(["a", "b"])).toEqual(["b", "a"]);
    advance(1);
    expect(order(["a", "b"])).toEqual(["a", "b"]);
    health.failure("a");
    expect(order(["a", "b"])).toEqual(["b", "a"]);
  });

  test("order() keeps the configured order when every resolver is cooling off", () => {
    const { health, order } = setup();
    for (const r of ["c", "a", "b"]) for (let i = 0; i < 3; i++) health.failure(r);
    expect(order(["a", "b", "c"])).toEqual(["a", "b", "c"]);
  });

  test("order() keeps cooling resolvers in configured order at the end", () => {
    const { health, order } = setup();
    for (const r of ["c", "a"]) for (let i = 0; i < 3; i++) health.failure(r);
    expect(order(["a", "b", "c", "d"])).toEqual(["b", "d", "a", "c"]);
  });
});
