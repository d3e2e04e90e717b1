import { describe, expect, test } from "bun:test";
import {
  canonicalIp,
  classifyIp,
  isCanonicalIpv4,
  joinHostPort,
  parsePort,
  splitHostPort,
} from "../../../src/core/net/ip.ts";

describe("ip", () => {
  test("canonicalIp() writes IPv6 in RFC 5952 form and rejects non-literals", () => {
    expect(canonicalIp("2001:0db8:3c4d:0015:0000:0000:1a2f:1a2b")).toBe("2001:db8:3c4d:15::1a2f:1a2b");
    expect(canonicalIp("fd01:b::1:8000:2")).toBe("fd01:b::1:8000:2");
    expect(canonicalIp("::")).toBe("::");
    expect(canonicalIp("1:0:0:1:0:0:0:1")).toBe("1:0:0:1::1");
    expect(canonicalIp("::1.2.3.4")).toBe("::102:304");
    for (const bad of [
      "",
      "1.2.3.4.5",
      "01.2.3.4",
      "256.1.1.1",
      ":::",
      "1::2::3",
      "fe80::1%eth0",
      "host",
      "1:2:3:4:5:6:7:8:9",
    ]) {
      expect(canonicalIp(bad)).toBeUndefined();
    }
  });

  test("classifyIp() files IPv4-mapped IPv6 under A in dotted form", () => {
    expect(classifyIp("::ffff:1.2.3.4")).toEqual({ type: "A", text: "1.2.3.4" });
    expect(classifyIp("2001:DB8::1")).toEqual({ type: "AAAA", text: "2001:db8::1" });
    expect(classifyIp("10.0.0.1")).toEqual({ type: "A", text: "10.0.0.1" });
  });

  test("splitHostPort() follows Go: IPv6 must be bracketed", () => {
    expect(splitHostPort("[::1]:53")).toEqual({ host: "::1", port: "53" });
    expect(splitHostPort("a:1")).toEqual({ host: "a", port: "1" });
    expect(splitHostPort("::1")).toBeUndefined();
    expect(splitHostPort("1.2.3.4")).toBeUndefined();
    expect(joinHostPort("::1", 53)).toBe("[::1]:53");
  });

  test("parsePort() accepts 1..65535 only", () => {
    expect(parsePort("53")).toBe(53);
    for (const bad of ["0", "65536", "-1", "abc", ""]) expect(parsePort(bad)).toBeUndefined();
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
