import { describe, expect, test } from "bun:test";
import { defaultConfig } from "../../../src/core/config/config.ts";
import { decodeMessage, encodeMessage, parseQuery } from "../../../src/core/dns/codec.ts";
import { createDomainAnswerer } from "../../../src/core/records/domain-answerer.ts";
import { RecordSetBuilder } from "../../../src/core/records/record-set.ts";
import type { Snapshot } from "../../../src/core/records/snapshot.ts";

function snapshot(): Snapshot {
  const b = new RecordSetBuilder();
  b.insert("A", "leader.mesos.", "10.0.0.1");
  b.insert("A", "web.marathon.mesos.", "10.0.0.2");
  b.insert("A", "web.marathon.mesos.", "10.0.0.3");
  b.insert("AAAA", "web.marathon.mesos.", "fd00::2");
  b.insert("SRV", "_web._tcp.marathon.mesos.", "web-abcde-s1.marathon.slave.mesos.:31000");
  b.insert("SRV", "_web._tcp.marathon.mesos.", "web-fghij-s2.marathon.slave.mesos.:31001");
  b.insert("A", "web-abcde-s1.marathon.slave.mesos.", "10.1.0.1");
  for (let i = 0; i < 60; i++) b.insert("A", "big.marathon.mesos.", `10.2.0.${i}`);
  return { records: b.build({ frameworks: [] }, []), serial: 1234, loadedAtMs: 0, leader: "", masters: [] };
}

const config = { ...defaultConfig(), TTL: 60 };
const resolver = createDomainAnswerer(config);
const snap = snapshot();

function ask(name: string, type: string, options: { edns?: number; limit?: number; rd?: boolean } = {}) {
  const query = encodeMessage({
    type: "query",
    id: 4321,
    flags: options.rd === false ? 0 : 256,
    questions: [{ type: type as never, name }],
    additionals: options.edns ? [{ type: "OPT", name: ".", udpPayloadSize: options.edns } as never] : [],
  });
  const parsed = parseQuery(query);
  if (typeof parsed === "string") throw new Error(parsed);
  const reply = resolver.answer(query, parsed, snap, options.limit ?? 512);
  const decoded = decodeMessage(reply);
  if (!decoded) throw new Error("reply does not decode");
  return decoded;
}

describe("createDomainAnswerer().answer()", () => {
  test("answers A with every value, AA and RA set, the question's case echoed", () => {
    const r = ask("Web.Marathon.MESOS", "A");
    expect(r.id).toBe(4321);
    expect(r.rcode).toBe("NOERROR");
    expect(r.flag_aa).toBe(true);
    expect(r.flag_ra).toBe(true);
    expect(r.flag_rd).toBe(true);
    expect(r.answers.map((a) => a.data).sort()).toEqual(["10.0.0.2", "10.0.0.3"]);
    expect(r.answers.every((a) => a.name === "Web.Marathon.MESOS" && a.ttl === 60)).toBe(true);
  });

  test("returns NXDOMAIN with the apex SOA for an unknown name", () => {
    const r = ask("missing.mesos", "A");
    expect(r.rcode).toBe("NXDOMAIN");
    expect(r.authorities).toHaveLength(1);
    const soa = r.authorities[0]!;
    expect(soa.name).toBe("mesos");
    expect(soa.type).toBe("SOA");
    expect(soa.data).toMatchObject({
      mname: "ns1.mesos",
      rname: "root.ns1.mesos",
      serial: 1234,
      minimum: 60,
    });
  });

  test("returns NODATA for an existing name without that type and for empty non-terminals", () => {
    expect(ask("leader.mesos", "AAAA").rcode).toBe("NOERROR");
    expect(ask("leader.mesos", "AAAA").authorities[0]?.type).toBe("SOA");
    expect(ask("marathon.slave.mesos", "A").rcode).toBe("NOERROR");
    expect(ask("_tcp.marathon.mesos", "TXT").rcode).toBe("NOERROR");
    expect(ask("mesos", "A").rcode).toBe("NOERROR");
  });

  test("answers SOA and NS at the apex in the answer section", () => {
    const soa = ask("mesos", "SOA");
    expect(soa.answers.map((a) => a.type)).toEqual(["SOA"]);
    expect(soa.authorities).toHaveLength(0);
    const ns = ask("mesos", "NS");
    expect(ns.answers[0]?.data).toBe("ns1.mesos");
  });

  test("SRV answers carry targets and one address per target in additional", () => {
    const r = ask("_web._tcp.marathon.mesos", "SRV");
    expect(r.answers.map((a) => `${(a.data as { port: number }).port}`).sort()).toEqual(["31000", "31001"]);
    expect(r.additionals.map((a) => `${a.name} ${a.type}`)).toEqual(["web-abcde-s1.marathon.slave.mesos A"]);
  });

  test("SRV for a missing name is NOERROR with nothing at all", () => {
    const r = ask("nothing.mesos", "SRV");
    expect(r.rcode).toBe("NOERROR");
    expect(r.answers).toHaveLength(0);
    expect(r.authorities).toHaveLength(0);
  });

  test("deletes .* from the lookup name and owns answers by the cleaned name", () => {
    const r = ask("web.*.marathon.mesos", "A");
    expect(r.answers.map((a) => a.name)).toEqual(["web.marathon.mesos", "web.marathon.mesos"]);
  });

  test("ANY on an existing name has A, AAAA and SRV answers and apex NS + SOA once each", () => {
    const r = ask("web.marathon.mesos", "ANY");
    expect(r.answers.map((a) => a.type).sort()).toEqual(["A", "A", "AAAA"]);
    expect(r.authorities.map((a) => `${a.name} ${a.type}`).sort()).toEqual(["mesos NS", "mesos SOA"]);
  });

  test("truncates at 512 bytes without EDNS: sets TC and keeps whole records only", () => {
    const r = ask("big.marathon.mesos", "A");
    expect(r.flag_tc).toBe(true);
    expect(r.answers.length).toBeGreaterThan(10);
    expect(r.answers.length).toBeLessThan(60);
  });

  test("echoes OPT with the client's size clamped and uses it as the UDP limit", () => {
    const r = ask("big.marathon.mesos", "A", { edns: 8192, limit: 4096 });
    expect(r.flag_tc).toBe(false);
    expect(r.answers).toHaveLength(60);
    const opt = r.additionals.find((a) => a.type === "OPT") as { udpPayloadSize?: number } | undefined;
    expect(opt?.udpPayloadSize).toBe(4096);
  });

  test("copies RD only when the client set it", () => {
    expect(ask("leader.mesos", "A", { rd: false }).flag_rd).toBe(false);
  });

  test("shuffles answers between replies", () => {
    const orders = new Set<string>();
    for (let i = 0; i < 30; i++)
      orders.add(
        ask("big.marathon.mesos", "A", { edns: 4096, limit: 4096 })
          .answers.map((a) => a.data)
          .join(),
      );
    expect(orders.size).toBeGreaterThan(1);
  });
});

describe("createDomainAnswerer() on the wire", () => {
  function rawAnswer(name: string, type: string, resolverConfig = config): Uint8Array {
    const query = encodeMessage({ type: "query", id: 1, questions: [{ type: type as never, name }] });
    const parsed = parseQuery(query);
    if (typeof parsed === "string") throw new Error(parsed);
    return createDomainAnswerer(resolverConfig).answer(query, parsed, snap, 4096);
  }

  function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
    outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
      for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
      return true;
    }
    return false;
  }

  test("writes SRV targets uncompressed (RFC 2782; Go's resolver rejects compressed ones)", () => {
    const reply = rawAnswer("_web._tcp.marathon.mesos", "SRV");
    const whole = new TextEncoder().encode("\u000cweb-abcde-s1\u0008marathon\u0005slave\u0005mesos\u0000");
    expect(contains(reply, whole)).toBe(true);
  });
});

describe("createDomainAnswerer() memory", () => {
  test("keeps no prepared answer per `.*` spelling or per missing name", () => {
    const own = createDomainAnswerer(config);
    const ask = (name: string) => {
      const query = encodeMessage({ type: "query", id: 1, questions: [{ type: "A", name }] });
      const parsed = parseQuery(query);
      if (typeof parsed === "string") throw new Error(parsed);
      return decodeMessage(own.answer(query, parsed, snap, 512));
    };
    expect(ask("web.marathon.mesos")?.answers).toHaveLength(2);
    const before = own.preparedCount(snap);
    for (let i = 0; i < 200; i++) {
      expect(ask(`w.*eb${".*".repeat(i % 7)}.marathon.mesos`)?.answers).toHaveLength(2);
      ask(`missing-${i}.mesos`);
    }
    expect(ask("web.*.marathon.mesos")?.answers).toHaveLength(2);
    expect(own.preparedCount(snap)).toBe(before);
  });
});
