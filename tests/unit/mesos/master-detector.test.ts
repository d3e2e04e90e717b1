import { describe, expect, test } from "bun:test";
import { staticDetector } from "../../../src/core/mesos/master-detector.ts";
import type { MastersList } from "../../../src/core/mesos/masters-list.ts";

describe("staticDetector() (docs/spec.md §3.1, 3.2)", () => {
  test("reports exactly the configured masters once, after start() returns", async () => {
    const seen: MastersList[] = [];
    const detector = staticDetector({ Masters: ["10.0.0.1:5050", "10.0.0.2:5050"] });
    detector.start((m) => seen.push(m));
    expect(seen).toEqual([]);
    await Promise.resolve();
    expect(seen).toEqual([["10.0.0.1:5050", "10.0.0.2:5050"]]);
  });

  test("reports nothing when stopped before the first report", async () => {
    const seen: MastersList[] = [];
    const detector = staticDetector({ Masters: ["10.0.0.1:5050"] });
    detector.start((m) => seen.push(m));
    await detector.stop();
    await Promise.resolve();
    expect(seen).toEqual([]);
  });
});
