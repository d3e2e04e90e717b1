import { describe, expect, test } from "bun:test";
import { parseUpid } from "../../../src/core/mesos/upid.ts";

describe("parseUpid()", () => {
  test("parseUpid() splits id, IPv4 host and port", () => {
    expect(parseUpid("slave(1)@10.0.0.1:5051")).toEqual({ id: "slave(1)", host: "10.0.0.1", port: 5051 });
  });
  test("parseUpid() accepts a bracketed IPv6 host and returns it without brackets", () => {
    expect(parseUpid("scheduler(1)@[2001:db8::1]:25501")).toEqual({
      id: "scheduler(1)",
      host: "2001:db8::1",
      port: 25501,
    });
  });
  test("parseUpid() keeps a hostname for the caller to resolve", () => {
    expect(parseUpid("master@mesos-master-1.example.com:5050")?.host).toBe("mesos-master-1.example.com");
  });
  test("parseUpid() trims quotes and spaces from both ends as upstream does", () => {
    expect(parseUpid(' "slave(1)@10.0.0.1:5051" ')?.port).toBe(5051);
  });
  const bad = [
    "",
    "null",
    "10.0.0.1:5051",
    "a@b@10.0.0.1:5051",
    "x@10.0.0.1",
    "x@:5051",
    "x@10.0.0.1:",
    "x@10.0.0.1:http",
    "x@10.0.0.1:65536",
    "x@2001:db8::1:5051",
    "x@[2001:db8::1:5051",
    "x@bad host:5051",
  ];
  for (const text of bad) {
    test(`parseUpid() rejects ${JSON.stringify(text)}`, () => {
      expect(parseUpid(text)).toBeUndefined();
    });
  }
});
