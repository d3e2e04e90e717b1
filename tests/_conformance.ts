/**
 * Reading the conformance tables (`shared/conformance/*.tsv`) and describing a reply in
 * their column format, the same way `shared/tools/dns-diff.py` does, so a test can compare
 * a reply with a row: `compareRow(row, describeReply(bytes, row.name, row.qtype))`.
 *
 * The wire reading (no dns-packet) is in `_wire-text.ts`, after dns-diff.py's formatting rules.
 */
import { readFileSync } from "node:fs";
import type { Rr } from "./_wire-text.ts";
import { parseSections } from "./_wire-text.ts";

/** One table row: every column by name, plus the query the `mode` column describes. */
export interface Row {
  readonly [column: string]: string;
}
export interface RowQuery {
  readonly name: string;
  readonly qtype: number;
  readonly transport: "udp" | "tcp";
  /** EDNS UDP size, or undefined for `noedns`. */
  readonly edns: number | undefined;
  readonly rd: boolean;
}

/** The compared columns of a reply, as the table writes them (and `answer_count`). */
export interface Described {
  rcode: string;
  flags: string;
  answers: string;
  authority_types: string;
  answer_ttls: string;
  authority: string;
  additional: string;
  opt: string;
  answer_count: string;
}

const TYPES: Record<string, number> = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  DS: 43,
  OPT: 41,
  RRSIG: 46,
  DNSKEY: 48,
  CAA: 257,
  AXFR: 252,
  ANY: 255,
};
const TYPE_NAMES = new Map(Object.entries(TYPES).map(([k, v]) => [v, k]));
const RCODES: Record<number, string> = {
  0: "NOERROR",
  1: "FORMERR",
  2: "SERVFAIL",
  3: "NXDOMAIN",
  4: "NOTIMP",
  5: "REFUSED",
  6: "YXDOMAIN",
  7: "YXRRSET",
  8: "NXRRSET",
  9: "NOTAUTH",
  10: "NOTZONE",
  16: "BADVERS",
};
const FLAG_BITS: [string, number][] = [
  ["aa", 10],
  ["tc", 9],
  ["rd", 8],
  ["ra", 7],
  ["ad", 5],
  ["cd", 4],
];

/** `A` -> 1, `TYPE65` -> 65. */
export function typeCode(name: string): number {
  const upper = name.toUpperCase();
  const known = TYPES[upper];
  if (known !== undefined) return known;
  if (/^TYPE\d+$/.test(upper)) return Number(upper.slice(4));
  throw new Error(`unknown query type "${name}"`);
}

export function typeName(code: number): string {
  return TYPE_NAMES.get(code) ?? `TYPE${code}`;
}

/** Reads a table: a header line, then rows; `#` lines and blank lines are skipped. */
export function loadRows(path: string): Row[] {
  const rows: Row[] = [];
  let header: string[] | undefined;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const cols = line.split("\t");
    if (!header) {
      header = cols;
      continue;
    }
    rows.push(Object.fromEntries(header.map((h, i) => [h, cols[i] ?? "-"])));
  }
  return rows;
}

/** The query a row asks, from its name, qtype and mode (`udp noedns rd`, `tcp edns=1232 nord`, ...). */
export function rowQuery(row: Row): RowQuery {
  let transport: "udp" | "tcp" = "udp";
  let edns: number | undefined;
  let rd = true;
  for (const t of (row.mode ?? "").toLowerCase().split(/\s+/)) {
    if (t === "tcp" || t === "udp") transport = t;
    else if (t === "nord") rd = false;
    else if (t === "rd") rd = true;
    else if (t === "noedns") edns = undefined;
    else if (t === "edns") edns = 1232;
    else if (t.startsWith("edns=")) edns = Number(t.slice(5));
  }
  return { name: row.name ?? "", qtype: typeCode(row.qtype ?? "A"), transport, edns, rd };
}

/** Encodes a row's query (the name exactly as written) with the given ID. */
export function encodeRowQuery(q: RowQuery, id: number): Uint8Array {
  const out: number[] = [id >> 8, id & 0xff, q.rd ? 1 : 0, 0, 0, 1, 0, 0, 0, 0, 0, q.edns ? 1 : 0];
  const trimmed = q.name.replace(/\.$/, "");
  if (trimmed !== "")
    for (const label of trimmed.split(".")) out.push(label.length, ...new TextEncoder().encode(label));
  out.push(0, q.qtype >> 8, q.qtype & 0xff, 0, 1);
  if (q.edns) out.push(0, 0, 41, q.edns >> 8, q.edns & 0xff, 0, 0, 0, 0, 0, 0);
  return Uint8Array.from(out);
}

function rrText(rr: Rr, qname: string, qtype: number): string {
  const t = typeName(rr.type);
  let rdata = rr.rdata;
  if ([2, 5, 6, 12, 15, 33].includes(rr.type)) rdata = rdata.toLowerCase();
  if (rr.type === 6) {
    const parts = rdata.split(" ");
    if (parts.length === 7) {
      parts[2] = "<serial>";
      rdata = parts.join(" ");
    }
  }
  const owner = rr.owner.toLowerCase();
  if (owner === qname.toLowerCase()) return rr.type === qtype ? rdata : `${t} ${rdata}`;
  return `${owner} ${t} ${rdata}`;
}

const join = (items: string[]) => (items.length ? items.join(",") : "-");
const sorted = (items: string[]) => [...items].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** A reply in the table's column format; `qname`/`qtype` as in the row. */
export function describeReply(bytes: Uint8Array, qname: string, qtype: number | string): Described {
  const code = typeof qtype === "number" ? qtype : typeCode(qtype);
  const qn = qname.endsWith(".") ? qname : `${qname}.`;
  const r = parseSections(bytes);
  const opt = r.additional.find((rr) => rr.type === 41);
  const rcode = (r.flags & 0xf) | (opt ? (opt.ttl >>> 24) << 4 : 0);
  const flags = FLAG_BITS.filter(([, bit]) => r.flags & (1 << bit)).map(([f]) => f);
  return {
    rcode: RCODES[rcode] ?? `RCODE${rcode}`,
    flags: flags.join(" ") || "-",
    answers: join(sorted(r.answer.map((rr) => rrText(rr, qn, code)))),
    authority_types: join(sorted(r.authority.map((rr) => typeName(rr.type)))),
    answer_ttls: join([...new Set(r.answer.map((rr) => rr.ttl))].sort((a, b) => a - b).map(String)),
    authority: join(
      sorted(
        r.authority.map(
          (rr) => `${rr.owner.toLowerCase()} ${rr.ttl} ${rrText({ ...rr, owner: "." }, ".", -1)}`,
        ),
      ),
    ),
    additional: join(
      sorted(
        r.additional
          .filter((rr) => rr.type !== 41)
          .map((rr) => `${rr.owner.toLowerCase()} ${typeName(rr.type)} ${rr.rdata}`),
      ),
    ),
    opt: opt ? `udp=${opt.cls}` : "none",
    answer_count: String(r.answer.length),
  };
}

/** One differing field: what the row says and what the reply says. */
export interface Difference {
  readonly field: string;
  readonly expected: string;
  readonly got: string;
}

const additionalNames = (field: string) =>
  field === "-"
    ? "-"
    : [...new Set(field.split(",").map((i) => i.split(" ").slice(0, 2).join(" ")))].sort().join(",");

/**
 * Compares a reply with a row as dns-diff.py does by default: rcode, flags, authority types and
 * records, OPT, answer TTLs, and the sorted answers (only their number when both have TC); the
 * additional section by owner and type.
 */
export function compareRow(row: Row, got: Described): Difference[] {
  const out: Difference[] = [];
  const bothTc = (row.flags ?? "").split(" ").includes("tc") && got.flags.split(" ").includes("tc");
  const expectCount = row.answers === "-" || row.answers === undefined ? 0 : row.answers.split(",").length;
  for (const field of ["rcode", "flags", "authority_types", "authority", "opt", "answer_ttls"] as const) {
    if ((row[field] ?? "-") !== got[field]) out.push({ field, expected: row[field] ?? "-", got: got[field] });
  }
  if (bothTc) {
    if (String(expectCount) !== got.answer_count) {
      out.push({ field: "answer_count", expected: String(expectCount), got: got.answer_count });
    }
  } else if ((row.answers ?? "-") !== got.answers) {
    out.push({ field: "answers", expected: row.answers ?? "-", got: got.answers });
  }
  const [ea, ga] = [additionalNames(row.additional ?? "-"), additionalNames(got.additional)];
  if (ea !== ga) out.push({ field: "additional(owner+type)", expected: ea, got: ga });
  return out;
}
