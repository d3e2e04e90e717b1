import { describe, expect, test } from "bun:test";
import { parseZkUrl } from "../../src/core/zk-url.ts";

describe("parseZkUrl() (SPEC 3.3)", () => {
  test("reads servers and the znode path", () => {
    expect(parseZkUrl("zk://10.0.0.1:2181,10.0.0.2:2181/mesos")).toEqual({
      ok: true,
      target: { kind: "zookeeper", servers: "10.0.0.1:2181,10.0.0.2:2181", path: "/mesos", credentials: "" },
    });
  });
  test("separates user:pass credentials from the hosts", () => {
    const r = parseZkUrl("zk://user:secret@zk1:2181,zk2:2181/dcos/mesos");
    expect(r).toEqual({
      ok: true,
      target: {
        kind: "zookeeper",
        servers: "zk1:2181,zk2:2181",
        path: "/dcos/mesos",
        credentials: "user:secret",
      },
    });
  });
  test("a trailing slash is dropped from the path", () => {
    const r = parseZkUrl("zk://zk1:2181/mesos/");
    expect(r.ok && r.target.kind === "zookeeper" && r.target.path).toBe("/mesos");
  });
  test("bare host:port and master@host:port name a fixed leader", () => {
    expect(parseZkUrl("10.0.0.1:5050")).toEqual({
      ok: true,
      target: { kind: "fixed", leader: "10.0.0.1:5050" },
    });
    expect(parseZkUrl("master@10.0.0.1:5050")).toEqual({
      ok: true,
      target: { kind: "fixed", leader: "10.0.0.1:5050" },
    });
  });
  test("rejects other schemes, a missing path and bad hosts, naming the value", () => {
    expect(parseZkUrl("http://zk1:2181/mesos")).toEqual({
      ok: false,
      error: 'Invalid zk "http://zk1:2181/mesos": scheme "http" is not zk',
    });
    expect(parseZkUrl("zk://zk1:2181")).toEqual({
      ok: false,
      error: 'Invalid zk "zk://zk1:2181": no znode path',
    });
    expect(parseZkUrl("zk://zk1:21x81/mesos").ok).toBe(false);
    expect(parseZkUrl("not a url").ok).toBe(false);
  });
});
