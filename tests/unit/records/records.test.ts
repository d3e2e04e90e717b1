import { describe, expect, test } from "bun:test";
import { dump, framework, generate, state } from "../_mesos-builders.ts";

describe("generateRecords() leader and master records (docs/spec.md §5.7 vectors)", () => {
  const masterNames = (name: string) => /^(leader|master\d*|_leader\._(tcp|udp))\.foo\.com\.$/.test(name);
  const run = (leader: string, masters: string[]) =>
    dump(
      generate({ state: state({ leader, slaves: [] }), masters, config: { Domain: "foo.com" } }),
      masterNames,
    );
  const srvs = ["_leader._tcp.foo.com. SRV leader.foo.com.:7", "_leader._udp.foo.com. SRV leader.foo.com.:7"];
  const base = (extra: string[]) => [...extra, ...srvs].sort();

  for (const leader of ["", "@", "1@", "@2", "3@4"]) {
    test(`generateRecords() makes no leader records for leader ${JSON.stringify(leader)}`, () => {
      expect(run(leader, [])).toEqual([]);
    });
  }
  test("generateRecords() numbers a lone IPv4 leader master0", () => {
    expect(run("5@0.0.0.6:7", [])).toEqual(
      base(["leader.foo.com. A 0.0.0.6", "master.foo.com. A 0.0.0.6", "master0.foo.com. A 0.0.0.6"]),
    );
  });
  test("generateRecords() gives an IPv6 leader AAAA records", () => {
    expect(run("5@[2001:db8::1]:7", [])).toEqual(
      base([
        "leader.foo.com. AAAA 2001:db8::1",
        "master.foo.com. AAAA 2001:db8::1",
        "master0.foo.com. AAAA 2001:db8::1",
      ]),
    );
  });
  test("generateRecords() numbers a leader that is the only configured master once", () => {
    expect(run("5@0.0.0.6:7", ["0.0.0.6:7"])).toEqual(
      base(["leader.foo.com. A 0.0.0.6", "master.foo.com. A 0.0.0.6", "master0.foo.com. A 0.0.0.6"]),
    );
  });
  const twoMasters = base([
    "leader.foo.com. A 0.0.0.6",
    "master.foo.com. A 0.0.0.6",
    "master.foo.com. A 0.0.0.8",
    "master0.foo.com. A 0.0.0.8",
    "master1.foo.com. A 0.0.0.6",
  ]);
  for (const masters of [
    ["0.0.0.8:9"],
    ["0.0.0.8:9", "0.0.0.8:9"],
    ["0.0.0.8:9", "0.0.0.6:7"],
    ["0.0.0.8:9", "0.0.0.6:7", "0.0.0.6:7"],
    ["", "0.0.0.8:9", "0.0.0.6:7"],
  ]) {
    test(`generateRecords() numbers masters ${JSON.stringify(masters)} with leader 0.0.0.6:7`, () => {
      expect(run("5@0.0.0.6:7", masters)).toEqual(twoMasters);
    });
  }
  test("generateRecords() numbers a third master after the leader", () => {
    expect(run("5@0.0.0.6:7", ["0.0.0.8:9", "0.0.0.6:7", "0.0.0.7:0"])).toEqual(
      base([
        "leader.foo.com. A 0.0.0.6",
        "master.foo.com. A 0.0.0.6",
        "master.foo.com. A 0.0.0.7",
        "master.foo.com. A 0.0.0.8",
        "master0.foo.com. A 0.0.0.8",
        "master1.foo.com. A 0.0.0.6",
        "master2.foo.com. A 0.0.0.7",
      ]),
    );
  });
  test("generateRecords() numbers an IPv6 master as AAAA", () => {
    expect(run("5@0.0.0.6:7", ["0.0.0.8:9", "0.0.0.6:7", "[2001:db8::1]:0"])).toEqual(
      base([
        "leader.foo.com. A 0.0.0.6",
        "master.foo.com. A 0.0.0.6",
        "master.foo.com. A 0.0.0.8",
        "master.foo.com. AAAA 2001:db8::1",
        "master0.foo.com. A 0.0.0.8",
        "master1.foo.com. A 0.0.0.6",
        "master2.foo.com. AAAA 2001:db8::1",
      ]),
    );
  });
  test("generateRecords() resolves hostname leaders and masters through `resolved` (upstream crashed)", () => {
    const records = generate({
      state: state({ leader: "master@m1.example:5050", slaves: [] }),
      masters: ["m1.example:5050", "m2.example:5050", "gone.example:5050"],
      resolved: new Map([
        ["m1.example", ["10.0.0.1"]],
        ["m2.example", ["10.0.0.2"]],
      ]),
    });
    expect(records.a.get("leader.mesos.")).toEqual(["10.0.0.1"]);
    expect(records.a.get("master0.mesos.")).toEqual(["10.0.0.1"]);
    expect(records.a.get("master1.mesos.")).toEqual(["10.0.0.2"]);
    expect(records.warnings).toEqual(['master "gone.example:5050": host "gone.example" has no IP; skipped']);
  });
  test("generateRecords() skips an unresolvable leader hostname with a warning", () => {
    const records = generate({ state: state({ leader: "master@nowhere:5050", slaves: [] }) });
    expect(records.a.size).toBe(1); // only the listener record
    expect(records.warnings).toEqual(['leader host "nowhere" has no IP; no leader records']);
  });
});

describe("generateRecords() framework, agent and self records (docs/spec.md §5.4-5.6)", () => {
  test("generateRecords() gives a framework A and _framework._tcp SRV from its pid", () => {
    const s = state({
      frameworks: [framework({ name: "Mara.Thon", pid: { host: "10.0.0.2", port: 8080 } })],
    });
    expect(dump(generate({ state: s }), (n) => n.includes("mara"))).toEqual([
      "_framework._tcp.mara.thon.mesos. SRV mara.thon.mesos.:8080",
      "mara.thon.mesos. A 10.0.0.2",
    ]);
  });
  test("generateRecords() resolves a framework without pid through its hostname, with no SRV", () => {
    const s = state({ frameworks: [framework({ name: "no pid", hostname: "localhost" })] });
    const records = generate({ state: s, resolved: new Map([["localhost", ["127.0.0.1", "::1"]]]) });
    expect(dump(records, (n) => n.includes("nopid"))).toEqual([
      "nopid.mesos. A 127.0.0.1",
      "nopid.mesos. AAAA ::1",
    ]);
  });
  test("generateRecords() collapses agents on the same port into one _slave._tcp SRV", () => {
    const s = state({
      slaves: [
        { id: "a-0", pid: { host: "10.0.0.1", port: 5051 } },
        { id: "a-1", pid: { host: "2001:db8::1", port: 5051 } },
      ],
    });
    expect(dump(generate({ state: s }), (n) => n.includes("slave"))).toEqual([
      "_slave._tcp.mesos. SRV slave.mesos.:5051",
      "slave.mesos. A 10.0.0.1",
      "slave.mesos. AAAA 2001:db8::1",
    ]);
  });
  test("generateRecords() gives SOAMname the interface addresses for listener 0.0.0.0, loopback excluded", () => {
    const records = generate({
      config: { Listener: "0.0.0.0", SOAMname: "NS1.Mesos." },
      localAddresses: ["10.1.1.1", "127.0.0.1", "fe80::1", "::1"],
    });
    expect(dump(records, (n) => n === "ns1.mesos.")).toEqual([
      "ns1.mesos. A 10.1.1.1",
      "ns1.mesos. AAAA fe80::1",
    ]);
  });
  test("generateRecords() gives SOAMname the listener literal, A or AAAA", () => {
    expect(dump(generate({ config: { Listener: "::" } }), (n) => n === "ns1.mesos.")).toEqual([
      "ns1.mesos. AAAA ::",
    ]);
    expect(generate({ config: { Listener: "127.0.0.1" } }).a.get("ns1.mesos.")).toEqual(["127.0.0.1"]);
  });
});
