import { describe, expect, test } from "bun:test";
import { classifyIp } from "../../../src/core/net/ip.ts";
import { type IpValue, runningStatus, taskIps } from "../../../src/core/records/task-ips.ts";
import { dockerStatus, netinfoStatus, status, task } from "../_mesos-builders.ts";

const agent: IpValue[] = [classifyIp("2.3.4.5")!];
const texts = (ips: readonly IpValue[]) => ips.map((ip) => ip.text);

describe("runningStatus()", () => {
  test("runningStatus() picks the latest TASK_RUNNING status, the earliest on ties", () => {
    const a = status({ timestamp: 2 });
    const b = status({ timestamp: 5 });
    const c = status({ timestamp: 5 });
    const d = status({ timestamp: 9, state: "TASK_KILLED" });
    expect(runningStatus([a, b, c, d])).toBe(b);
  });
  test("runningStatus() returns undefined without a running status", () => {
    expect(runningStatus([status({ state: "TASK_STAGING" })])).toBeUndefined();
  });
  test("runningStatus() treats a missing (0) timestamp as eligible", () => {
    const only = status({ timestamp: 0 });
    expect(runningStatus([only])).toBe(only);
  });
});

describe("taskIps() (docs/spec.md §4.6 vectors)", () => {
  test("taskIps() takes every ip_addresses entry of a NetworkInfo", () => {
    const t = task({ statuses: [netinfoStatus(1, "1.2.3.4", "2.3.4.5")] });
    expect(texts(taskIps(t, ["netinfo"], agent))).toEqual(["1.2.3.4", "2.3.4.5"]);
  });
  test("taskIps() takes addresses of two NetworkInfos in order", () => {
    // parseState flattens network_infos; see state.test.ts for the 0.25 and mixed forms.
    const t = task({ statuses: [netinfoStatus(1, "1.2.3.4", "2.3.4.5")] });
    expect(texts(taskIps(t, ["netinfo", "host"], agent))).toEqual(["1.2.3.4", "2.3.4.5"]);
  });
  test("taskIps() with sources [host, netinfo] uses the agent IP", () => {
    const t = task({ statuses: [netinfoStatus(1, "1.2.3.4", "fd01:b::1:8000:2")] });
    expect(texts(taskIps(t, ["host", "netinfo"], agent))).toEqual(["2.3.4.5"]);
  });
  test("taskIps() with sources [netinfo, host] uses both netinfo IPs, split by family", () => {
    const t = task({ statuses: [netinfoStatus(1, "1.2.3.4", "fd01:b::1:8000:2")] });
    expect(taskIps(t, ["netinfo", "host"], agent)).toEqual([
      { type: "A", text: "1.2.3.4" },
      { type: "AAAA", text: "fd01:b::1:8000:2" },
    ]);
  });
  test("taskIps() ignores a later non-running status", () => {
    const t = task({
      statuses: [netinfoStatus(1, "1.2.3.4"), { ...netinfoStatus(2, "2.3.4.5"), state: "TASK_KILLED" }],
    });
    expect(texts(taskIps(t, ["netinfo"], agent))).toEqual(["1.2.3.4"]);
  });
  test("taskIps() reads only the latest running status, even when it lacks the first source", () => {
    const t = task({
      statuses: [
        netinfoStatus(1, "1.2.3.4"),
        netinfoStatus(4, "1.3.5.7"),
        dockerStatus(3, "2.3.4.5"),
        dockerStatus(5, "2.4.6.8"),
        dockerStatus(2, "2.5.8.1"),
      ],
    });
    expect(texts(taskIps(t, ["docker", "netinfo"], agent))).toEqual(["2.4.6.8"]);
  });
  test("taskIps() takes every Docker label of the status", () => {
    const t = task({ statuses: [dockerStatus(1, "1.2.3.4", "2.3.4.5")] });
    expect(texts(taskIps(t, ["docker"], agent))).toEqual(["1.2.3.4", "2.3.4.5"]);
  });
  test("taskIps() reads the Mesos containerizer label for the mesos source", () => {
    const t = task({
      statuses: [
        status({ labels: [{ key: "MesosContainerizer.NetworkSettings.IPAddress", value: "10.3.0.3" }] }),
      ],
    });
    expect(texts(taskIps(t, ["netinfo", "mesos", "host"], agent))).toEqual(["10.3.0.3"]);
  });
  test("taskIps() drops values that are not IPs and falls through to the next source", () => {
    const t = task({ statuses: [dockerStatus(1, "", "not-an-ip", "300.1.1.1")] });
    expect(texts(taskIps(t, ["docker", "host"], agent))).toEqual(["2.3.4.5"]);
  });
  test("taskIps() writes IPv4-mapped IPv6 as an A value and IPv6 in canonical form", () => {
    const t = task({ statuses: [netinfoStatus(1, "::ffff:1.2.3.4", "FD01:B:0:0:0:1:8000:2")] });
    expect(taskIps(t, ["netinfo"], agent)).toEqual([
      { type: "A", text: "1.2.3.4" },
      { type: "AAAA", text: "fd01:b::1:8000:2" },
    ]);
  });
  test("taskIps() ignores unknown sources and returns nothing when no source yields", () => {
    expect(taskIps(task(), ["autoip", "netinfo"], agent)).toEqual([]);
  });
});
