/**
 * The forwarded rows of the conformance tables, asked through the forwarder of a dnsmasq
 * started with exactly the command line of shared/conformance/README.md (on a free port).
 * Skipped, with the reason printed, when dnsmasq is not installed, except with CI=true.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { bunPlatform } from "../../src/adapters/bun.ts";
import { defaultConfig } from "../../src/core/config/config.ts";
import type { ParsedQuery } from "../../src/core/dns/codec.ts";
import { parseQuery } from "../../src/core/dns/codec.ts";
import type { ForwarderWithStats } from "../../src/core/forward/forwarder.ts";
import { createForwarder } from "../../src/core/forward/forwarder.ts";
import type { Row } from "../_conformance.ts";
import { compareRow, describeReply, encodeRowQuery, loadRows, rowQuery } from "../_conformance.ts";
import { DNSMASQ, type Dnsmasq, startDnsmasq } from "../_dnsmasq.ts";

const SHARED = join(import.meta.dir, "../../../shared/conformance");
const TABLES = ["answers-fake.tsv", "answers-fake-variants.tsv"];

const forwardedRows: { table: string; row: Row }[] = [];
for (const table of TABLES) {
  for (const row of loadRows(join(SHARED, table))) {
    const name = (row.name ?? "").toLowerCase().replace(/\.$/, "");
    if (name !== "mesos" && !name.endsWith(".mesos")) forwardedRows.push({ table, row });
  }
}

let dnsmasq: Dnsmasq | undefined;
let forwarder: ForwarderWithStats | undefined;
let missing = false;

beforeAll(async () => {
  if (!DNSMASQ) {
    missing = true;
    if (process.env.CI === "true") throw new Error("dnsmasq is not installed (required when CI=true)");
    console.warn("skipped: dnsmasq is not installed; the forwarded conformance rows were not checked");
    return;
  }
  dnsmasq = await startDnsmasq();
  forwarder = createForwarder({
    platform: bunPlatform,
    config: { ...defaultConfig(), Resolvers: [`127.0.0.1:${dnsmasq.port}`], Timeout: 2 },
  });
});

afterAll(async () => {
  await forwarder?.close();
  await dnsmasq?.stop();
});

describe("forwarded conformance rows through dnsmasq", () => {
  test("the tables have forwarded rows (30 expected)", () => {
    expect(forwardedRows.length).toBe(30);
  });

  for (const { table, row } of forwardedRows) {
    test(`${table}: ${row.name} ${row.qtype} [${row.mode}] is answered as the table says`, async () => {
      if (missing) return;
      const q = rowQuery(row);
      const bytes = encodeRowQuery(q, Math.floor(Math.random() * 0x10000));
      const parsed = parseQuery(bytes) as ParsedQuery;
      const reply = await forwarder!.forward(bytes, parsed, q.transport);
      expect(compareRow(row, describeReply(reply, q.name, q.qtype))).toEqual([]);
    });
  }

  test("nothing is left waiting after the rows", () => {
    if (missing) return;
    const { inFlight, pendingUdp, pendingTcp } = forwarder!.stats();
    expect({ inFlight, pendingUdp, pendingTcp }).toEqual({ inFlight: 0, pendingUdp: 0, pendingTcp: 0 });
  });
});
