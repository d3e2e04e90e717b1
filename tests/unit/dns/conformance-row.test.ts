import { describe, expect, test } from "bun:test";
import { encodeMessage } from "../../../src/core/dns/codec.ts";
import { compareRow, describeReply, encodeRowQuery, rowQuery } from "../../_conformance.ts";

const SOA = {
  mname: "ns1.mesos",
  rname: "root.ns1.mesos",
  serial: 17,
  refresh: 60,
  retry: 600,
  expire: 86400,
  minimum: 60,
};
const row = {
  name: "LEADER.MESOS",
  qtype: "AAAA",
  rcode: "NOERROR",
  flags: "aa rd ra",
  answers: "-",
  authority_types: "SOA",
  answer_ttls: "-",
  authority: "mesos. 60 SOA ns1.mesos. root.ns1.mesos. <serial> 60 600 86400 60",
  additional: "-",
  opt: "none",
  mode: "udp noedns rd",
};

describe("tests/_conformance.ts", () => {
  test("describeReply() writes an in-domain negative reply as the table does, serial masked", () => {
    const bytes = encodeMessage({
      id: 1,
      type: "response",
      flags: 0x0400 | 0x0100 | 0x0080,
      questions: [{ name: "LEADER.MESOS", type: "AAAA", class: "IN" }],
      authorities: [{ name: "Mesos", type: "SOA", ttl: 60, data: SOA }],
    });
    expect(compareRow(row, describeReply(bytes, row.name, row.qtype))).toEqual([]);
    expect(describeReply(bytes, row.name, row.qtype).authority).toBe(row.authority);
  });

  test("compareRow() reports a differing rcode and additional owners", () => {
    const bytes = encodeMessage({
      id: 1,
      type: "response",
      flags: 0x0400 | 0x0100 | 0x0080 | 3,
      questions: [{ name: "leader.mesos", type: "AAAA", class: "IN" }],
      authorities: [{ name: "mesos", type: "SOA", ttl: 60, data: SOA }],
      additionals: [{ name: "x.mesos", type: "A", ttl: 60, data: "1.2.3.4" }],
    });
    const fields = compareRow(row, describeReply(bytes, row.name, row.qtype)).map((d) => d.field);
    expect(fields).toEqual(["rcode", "additional(owner+type)"]);
  });

  test("rowQuery() and encodeRowQuery() send the name as written with the row's mode", () => {
    const q = rowQuery({ name: "Big.*.fwd.test", qtype: "TYPE65", mode: "tcp edns=512 nord" });
    expect(q).toEqual({ name: "Big.*.fwd.test", qtype: 65, transport: "tcp", edns: 512, rd: false });
    const bytes = encodeRowQuery(q, 0x0102);
    expect([bytes[0], bytes[1], bytes[2], bytes[11]]).toEqual([1, 2, 0, 1]);
    expect(new TextDecoder().decode(bytes.subarray(13, 16))).toBe("Big");
  });
});
