/**
 * The generator against the upstream captures in ../shared/conformance for
 * ../shared/fixtures/fake.json (see ../shared/conformance/README.md for the setup).
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defaultConfig } from "../../../src/core/config/config.ts";
import { parseStateText } from "../../../src/core/mesos/state.ts";
import type { Enumeration, RecordSet } from "../../../src/core/records/record-set.ts";
import { generateRecords } from "../../../src/core/records/records.ts";

const shared = fileURLToPath(new URL("../../../../shared/", import.meta.url));
const available =
  existsSync(`${shared}conformance/http-axfr-fake.json`) && existsSync(`${shared}fixtures/fake.json`);
const ci = process.env["CI"] === "true";
if (!available && !ci)
  console.log(`records-conformance: skipped, ${shared} is missing (it is required when CI=true)`);

function loadRecords(): RecordSet {
  const text = readFileSync(`${shared}fixtures/fake.json`, "utf8").replaceAll(
    '"master@1.2.3.4:5050"',
    '"master@127.0.0.1:5050"',
  );
  const parsed = parseStateText(text);
  if (!parsed.ok) throw new Error(parsed.error);
  expect(parsed.warnings).toEqual([]);
  const config = {
    ...defaultConfig(),
    Masters: ["127.0.0.1:5050"],
    RefreshSeconds: 5,
    Listener: "127.0.0.1",
    HTTPListener: "127.0.0.1",
    Port: 8053,
    Resolvers: ["127.0.0.1:5353"],
  };
  const records = generateRecords({
    state: parsed.state,
    config,
    masters: ["127.0.0.1:5050"],
    resolved: new Map([["localhost", ["127.0.0.1"]]]),
    localAddresses: [],
  });
  expect(records.warnings).toEqual([]);
  return records;
}

const asSets = (map: ReadonlyMap<string, readonly string[]> | Record<string, string[]>) =>
  Object.fromEntries(
    (map instanceof Map ? Array.from(map) : Object.entries(map)).map(([k, v]) => [k, [...v].sort()] as const),
  );

function normaliseEnumeration(data: Enumeration | { frameworks: unknown }): unknown {
  type Rec = { name: string; host: string; rtype: string };
  type Task = { name: string; id: string; records: Rec[] | null };
  type Fw = { name: string; tasks: Task[] | null };
  const frameworks = ((data.frameworks ?? []) as Fw[]).map((f) => ({
    name: f.name,
    tasks: (f.tasks ?? [])
      .map((t) => ({
        name: t.name,
        id: t.id,
        records: (t.records ?? []).map((r) => `${r.rtype} ${r.name} ${r.host}`).sort(),
      }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  }));
  return frameworks.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe.if(available || ci)("generateRecords() on fake.json matches upstream", () => {
  test("generateRecords() gives exactly the A, AAAA and SRV sets of /v1/axfr", () => {
    const records = loadRecords();
    const want = JSON.parse(readFileSync(`${shared}conformance/http-axfr-fake.json`, "utf8")).Records;
    expect(asSets(records.a)).toEqual(asSets(want.As));
    expect(asSets(records.aaaa)).toEqual(asSets(want.AAAAs));
    expect(asSets(records.srv)).toEqual(asSets(want.SRVs));
  });

  test("generateRecords() implies every in-domain A/AAAA/SRV answer of answers-fake.tsv", () => {
    const records = loadRecords();
    const maps = { A: records.a, AAAA: records.aaaa, SRV: records.srv } as const;
    const lines = readFileSync(`${shared}conformance/answers-fake.tsv`, "utf8").split("\n");
    let checked = 0;
    for (const line of lines.slice(1)) {
      if (line === "" || line.startsWith("#")) continue;
      const [qname, qtype, rcode, , answers] = line.split("\t");
      if (qtype !== "A" && qtype !== "AAAA" && qtype !== "SRV") continue;
      if (rcode !== "NOERROR" || answers === undefined || answers === "-") continue;
      let name = qname!.replaceAll(".*", "").toLowerCase();
      if (!name.endsWith(".")) name += ".";
      if (name !== "mesos." && !name.endsWith(".mesos.")) continue;
      for (const answer of answers.split(",")) {
        const tokens = answer.split(" ");
        const rdataLength = qtype === "SRV" ? 4 : 1;
        // Forms: `rdata`, or `owner TYPE rdata` when the owner differs (the `.*` rows).
        const owner = tokens.length === rdataLength ? name : tokens[0]!.toLowerCase();
        const type = tokens.length === rdataLength ? qtype : tokens[1];
        const rdata = tokens.slice(tokens.length - rdataLength);
        expect(type).toBe(qtype);
        const value = qtype === "SRV" ? `${rdata[3]!.toLowerCase()}:${rdata[2]}` : rdata[0]!;
        if (qtype === "SRV") expect(rdata.slice(0, 2)).toEqual(["0", "1"]);
        expect({ owner, type, present: maps[qtype].get(owner)?.includes(value) ?? false }).toEqual({
          owner,
          type,
          present: true,
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  test("generateRecords() gives the enumeration of /v1/enumerate (null as [])", () => {
    const records = loadRecords();
    const want = JSON.parse(readFileSync(`${shared}conformance/http-enumerate-fake.json`, "utf8"));
    expect(normaliseEnumeration(records.enumeration)).toEqual(normaliseEnumeration(want));
  });
});
