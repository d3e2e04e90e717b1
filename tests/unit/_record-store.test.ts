import { describe, expect, test } from "bun:test";
import { CompactEnumerationTask } from "../../src/core/_enumeration-task.ts";
import { isCanonicalIpv4 } from "../../src/core/_ipv4-text.ts";
import { RecordStore } from "../../src/core/_record-store.ts";

describe("RecordStore", () => {
  test("RecordStore.insert() has set semantics and reports only new values", () => {
    const store = new RecordStore();
    expect(store.insert("A", "a.mesos.", "10.0.0.1")).toBe(true);
    expect(store.insert("A", "a.mesos.", "10.0.0.1")).toBe(false);
    expect(store.insert("A", "a.mesos.", "")).toBe(false);
    expect(store.insert("AAAA", "a.mesos.", "10.0.0.1")).toBe(true);
    const set = store.build({ frameworks: [] }, []);
    expect(set.a.get("a.mesos.")).toEqual(["10.0.0.1"]);
    expect(set.aaaa.get("a.mesos.")).toEqual(["10.0.0.1"]);
  });

  test("RecordStore.push() keeps set semantics past the linear-search limit", () => {
    const store = new RecordStore();
    const slot = store.slot("SRV", "_x._tcp.mesos.");
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 100; i++) expect(store.push(slot, `t.mesos.:${i}`)).toBe(round === 0);
    }
    expect(store.build({ frameworks: [] }, []).srv.get("_x._tcp.mesos.")).toHaveLength(100);
  });
});

describe("CompactEnumerationTask", () => {
  test("CompactEnumerationTask lists only its own slice of the shared log and serialises plainly", () => {
    const log: string[] = ["A", "before.mesos.", "1.1.1.1"];
    const task = new CompactEnumerationTask("web", "web.1", log);
    log.push("A", "web.mesos.", "10.0.0.1", "SRV", "_web._tcp.mesos.", "web.mesos.:80");
    task.close();
    log.push("A", "after.mesos.", "2.2.2.2");
    expect(JSON.parse(JSON.stringify(task))).toEqual({
      name: "web",
      id: "web.1",
      records: [
        { name: "web.mesos.", host: "10.0.0.1", rtype: "A" },
        { name: "_web._tcp.mesos.", host: "web.mesos.:80", rtype: "SRV" },
      ],
    });
  });
});

describe("isCanonicalIpv4()", () => {
  test("isCanonicalIpv4() accepts canonical dotted quads only", () => {
    for (const ok of ["0.0.0.0", "1.2.3.4", "255.255.255.255", "10.0.100.9"])
      expect(isCanonicalIpv4(ok)).toBe(true);
    const bad = [
      "",
      "1.2.3",
      "1.2.3.4.5",
      "01.2.3.4",
      "1.2.3.256",
      "1..3.4",
      "1.2.3.4.",
      "a.b.c.d",
      "::1",
      " 1.2.3.4",
    ];
    for (const text of bad) expect(isCanonicalIpv4(text)).toBe(false);
  });
});
