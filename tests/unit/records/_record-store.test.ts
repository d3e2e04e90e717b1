import { describe, expect, test } from "bun:test";
import { CompactEnumerationTask, EnumerationLog } from "../../../src/core/records/_enumeration-task.ts";
import { RecordStore } from "../../../src/core/records/_record-store.ts";
import type { EnumerationRecord } from "../../../src/core/records/record-set.ts";

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

  test("RecordStore.insertShared() shares one list per value and copies it before a name changes it", () => {
    const store = new RecordStore();
    expect(store.insertShared("A", "a.mesos.", "10.0.0.1")).toBe(true);
    expect(store.insertShared("A", "b.mesos.", "10.0.0.1")).toBe(true);
    expect(store.insertShared("A", "a.mesos.", "10.0.0.1")).toBe(false);
    expect(store.insertShared("A", "a.mesos.", "10.0.0.2")).toBe(true);
    store.push(store.slot("A", "b.mesos."), "10.0.0.3");
    expect(store.insertShared("A", "c.mesos.", "10.0.0.1")).toBe(true);
    const set = store.build({ frameworks: [] }, []);
    expect(set.a.get("a.mesos.")).toEqual(["10.0.0.1", "10.0.0.2"]);
    expect(set.a.get("b.mesos.")).toEqual(["10.0.0.1", "10.0.0.3"]);
    expect(set.a.get("c.mesos.")).toEqual(["10.0.0.1"]);
  });

  test("RecordStore.isFreshTarget() holds only for a name just created and never used as a target", () => {
    const store = new RecordStore();
    store.insert("SRV", "_s._tcp.mesos.", "old.mesos.:1");
    store.created = "";
    store.insertShared("A", "new.mesos.", "10.0.0.1");
    expect(store.isFreshTarget("new.mesos.")).toBe(true);
    store.created = "";
    store.insertShared("A", "new.mesos.", "10.0.0.2");
    expect(store.isFreshTarget("new.mesos.")).toBe(false);
    store.created = "";
    store.insertShared("A", "old.mesos.", "10.0.0.1");
    expect(store.isFreshTarget("old.mesos.")).toBe(false); // a target of an SRV value already
    store.claimTarget("other.mesos.");
    store.created = "";
    store.insertShared("AAAA", "other.mesos.", "::1");
    expect(store.isFreshTarget("other.mesos.")).toBe(false);
    store.created = "";
    store.insertShared("AAAA", "new.mesos.", "::1"); // known as an A name
    expect(store.isFreshTarget("new.mesos.")).toBe(false);
  });

  test("RecordStore.append() keeps a list's index complete", () => {
    const store = new RecordStore();
    const slot = store.slot("SRV", "_x._tcp.mesos.");
    for (let i = 0; i < 40; i++) store.push(slot, `t.mesos.:${i}`);
    store.append(slot, "u.mesos.:1");
    expect(store.push(slot, "u.mesos.:1")).toBe(false);
    expect(store.push(slot, "u.mesos.:2")).toBe(true);
  });
});

describe("CompactEnumerationTask", () => {
  test("CompactEnumerationTask lists only its own slice of the shared log and serialises plainly", () => {
    const log = new EnumerationLog();
    log.add("A", "before.mesos.", "1.1.1.1");
    const task = new CompactEnumerationTask("web", "web.1", log);
    log.add("A", "web.mesos.", "10.0.0.1");
    log.add("SRV", "_web._tcp.mesos.", "web.mesos.:80");
    task.close();
    log.add("A", "after.mesos.", "2.2.2.2");
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

describe("EnumerationLog", () => {
  test("EnumerationLog reads back records and SRV blocks in order across chunk boundaries", () => {
    const log = new EnumerationLog();
    const block = { owners: ["_a._tcp.mesos.", "_a._udp.mesos."] };
    const want: EnumerationRecord[] = [];
    const tasks: { start: number; end: number; records: typeof want }[] = [];
    for (let task = 0; task < 3000; task++) {
      const start = log.length;
      const records: typeof want = [];
      for (let i = 0; i < (task % 4) + 1; i++) {
        if ((task + i) % 3 === 0) {
          log.addBlock(block, `t${task}.mesos.:${i}`);
          for (const name of block.owners) records.push({ name, host: `t${task}.mesos.:${i}`, rtype: "SRV" });
        } else {
          log.add("A", `t${task}.mesos.`, `10.0.${task % 256}.${i}`);
          records.push({ name: `t${task}.mesos.`, host: `10.0.${task % 256}.${i}`, rtype: "A" });
        }
      }
      tasks.push({ start, end: log.length, records });
      want.push(...records);
    }
    for (const { start, end, records } of tasks) {
      const out: typeof want = [];
      log.read(start, end, out);
      expect(out).toEqual(records);
    }
    const all: typeof want = [];
    log.read(0, log.length, all);
    expect(all).toEqual(want);
  });
});
