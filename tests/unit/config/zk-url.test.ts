import { describe, expect, test } from "bun:test";
import { parseZkUrl, redactZk } from "../../../src/core/config/zk-url.ts";

describe("parseZkUrl() (docs/spec.md §3.3)", () => {
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
  test("a path empty after trimming trailing slashes is no znode path", () => {
    expect(parseZkUrl("zk://zk1:2181//")).toEqual({
      ok: false,
      error: 'Invalid zk "zk://zk1:2181//": no znode path',
    });
    expect(parseZkUrl("zk://zk1:2181///").ok).toBe(false);
  });
  test("the scheme is case-insensitive", () => {
    expect(parseZkUrl("ZK://zk1:2181/mesos")).toEqual({
      ok: true,
      target: { kind: "zookeeper", servers: "zk1:2181", path: "/mesos", credentials: "" },
    });
  });
  test("file:// is rejected as not supported", () => {
    const r = parseZkUrl("file:///etc/mesos/zk");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain('Invalid zk "file:///etc/mesos/zk": file:// is not supported');
  });
  test("hosts need a port 1..65535, also for a fixed leader", () => {
    expect(parseZkUrl("zk://zk1/mesos").ok).toBe(false);
    expect(parseZkUrl("zk://zk1:0/mesos").ok).toBe(false);
    expect(parseZkUrl("zk://zk1:65536/mesos").ok).toBe(false);
    expect(parseZkUrl("10.0.0.1:99999").ok).toBe(false);
    expect(parseZkUrl("master@10.0.0.1").ok).toBe(false);
    expect(parseZkUrl("master@[fd00::1]:5050")).toEqual({
      ok: true,
      target: { kind: "fixed", leader: "[fd00::1]:5050" },
    });
  });
  test("errors mask the password, even one containing a slash", () => {
    for (const value of [
      "zk://mesos:s3cret@zk1:2181",
      "zk://mesos:s3/cret@zk1:2181/mesos",
      "ZK://mesos:s3cret@x",
    ]) {
      const r = parseZkUrl(value);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error).not.toContain("s3");
      expect(!r.ok && r.error).toContain("mesos:********@");
    }
  });
});

describe("redactZk()", () => {
  test("masks the password of the userinfo, keeping user, hosts and path", () => {
    expect(redactZk("zk://mesos:s3cretpw@10.0.0.1:2181,10.0.0.2:2181/mesos")).toBe(
      "zk://mesos:********@10.0.0.1:2181,10.0.0.2:2181/mesos",
    );
  });
  test("masks a password containing / or @ and an upper-case scheme", () => {
    expect(redactZk("zk://mesos:a/b@host/path")).toBe("zk://mesos:********@host/path");
    expect(redactZk("zk://mesos:a@b@host/path")).toBe("zk://mesos:********@host/path");
    expect(redactZk("ZK://mesos:pw@host/path")).toBe("ZK://mesos:********@host/path");
    expect(redactZk("mesos:pw@host:2181/path")).toBe("mesos:********@host:2181/path");
  });
  test("leaves values without a password unchanged", () => {
    for (const value of [
      "zk://host:2181/mesos",
      "zk://user@host:2181/mesos",
      "master@10.0.0.1:5050",
      "10.0.0.1:5050",
      "",
    ]) {
      expect(redactZk(value)).toBe(value);
    }
  });
});
