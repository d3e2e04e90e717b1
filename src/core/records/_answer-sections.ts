/**
 * Builds the answer, authority and additional sections for one in-domain question.
 * Rules: docs/spec.md §6.4 plus the improvements of the conformance README (a to f).
 *
 * @module
 */

import type { Config } from "../config/config.ts";
import type { ParsedQuery } from "../dns/codec.ts";
import { QTYPE, RCODE } from "../dns/codec.ts";
import {
  encodeName,
  encodeRecord,
  ipv4Rdata,
  ipv6Rdata,
  QUESTION_POINTER,
  type QuestionShape,
  questionShape,
  soaRdata,
  srvRdata,
} from "../dns/wire-writer.ts";
import type { DomainIndex, PreparedAnswer } from "./domain-index.ts";
import { splitSrvValue } from "./record-set.ts";

const EMPTY: readonly Uint8Array[] = [];
/** A question shape with no labels: names encoded against it are written whole. */
const NO_COMPRESSION: QuestionShape = { labels: [], offsets: [] };

/** The rdata of the first value that parses (a stored value that is not an IP is skipped). */
function firstParsed(
  values: readonly string[] | undefined,
  parse: (text: string) => Uint8Array | undefined,
): Uint8Array | undefined {
  for (const value of values ?? []) {
    const rdata = parse(value);
    if (rdata) return rdata;
  }
  return undefined;
}

interface Context {
  readonly index: DomainIndex;
  readonly config: Config;
  readonly q: QuestionShape;
  /** Offset of the apex (the domain's first label) inside the question. */
  readonly apexOffset: number;
  /** Lookup name: the question with `.*` deleted (upstream's wildcard hack), trailing dot. */
  readonly fqdn: string;
  readonly isApex: boolean;
}

/** Sections for `parsed`, and whether they may be cached for the snapshot's lifetime. */
export function answerSections(
  index: DomainIndex,
  config: Config,
  parsed: ParsedQuery,
  kind: string,
): { answer: PreparedAnswer; cacheable: boolean } {
  const fqdn = `${parsed.lowerName.includes(".*") ? parsed.lowerName.replaceAll(".*", "") : parsed.lowerName}.`;
  const isApex = fqdn === `${index.domain}.`;
  const exists = index.hasName(fqdn);
  const present = exists || isApex || index.isEmptyNonTerminal(fqdn);
  // The question ends with the domain, then the root byte, QTYPE and QCLASS.
  const apexOffset = parsed.questionEnd - 5 - index.domainWireLength;
  if (!present && kind !== "SRV") {
    // Names that do not exist share one prepared NXDOMAIN per apex offset: no per-name work.
    return {
      answer: index.negative(RCODE.NXDOMAIN, apexOffset, () => soaRecord(config, index, apexOffset)),
      cacheable: false,
    };
  }
  const ctx: Context = { index, config, q: questionShape(parsed.lowerName), apexOffset, fqdn, isApex };
  // Cached only for names spelled as they are stored: every `.*` spelling of a name would
  // otherwise be a cache entry of its own, without bound.
  const cacheable = present && !parsed.lowerName.includes(".*");
  return { answer: sectionsFor(ctx, kind, exists, present), cacheable };
}

function sectionsFor(ctx: Context, kind: string, exists: boolean, present: boolean): PreparedAnswer {
  switch (kind) {
    case "A":
    case "AAAA": {
      const answers = addressRecords(ctx, kind, ownerOf(ctx));
      return answers.length > 0 ? positive(answers) : negative(ctx, present);
    }
    case "SRV": {
      // Upstream: SRV is never NXDOMAIN and never carries an SOA (kept, see the README).
      const { answers, additional } = srvRecords(ctx);
      return { rcode: RCODE.NOERROR, answers, authority: EMPTY, additional };
    }
    case "SOA":
      return ctx.isApex
        ? positive([soaRecord(ctx.config, ctx.index, ctx.apexOffset)])
        : negative(ctx, present);
    case "NS":
      return ctx.isApex ? positive([nsRecord(ctx)]) : negative(ctx, present);
    case "ANY": {
      if (ctx.isApex) return positive([nsRecord(ctx), soaRecord(ctx.config, ctx.index, ctx.apexOffset)]);
      if (!exists) return negative(ctx, present);
      const srv = srvRecords(ctx);
      const owner = ownerOf(ctx);
      const answers = [
        ...srv.answers,
        ...addressRecords(ctx, "A", owner),
        ...addressRecords(ctx, "AAAA", owner),
      ];
      return {
        rcode: RCODE.NOERROR,
        answers,
        authority: [nsRecord(ctx), soaRecord(ctx.config, ctx.index, ctx.apexOffset)],
        additional: srv.additional,
      };
    }
    default:
      return negative(ctx, present);
  }
}

function positive(answers: Uint8Array[]): PreparedAnswer {
  return { rcode: RCODE.NOERROR, answers, authority: EMPTY, additional: EMPTY };
}

/** NODATA when the name is present in the tree, else NXDOMAIN; both with the apex SOA. */
function negative(ctx: Context, present: boolean): PreparedAnswer {
  const rcode = present ? RCODE.NOERROR : RCODE.NXDOMAIN;
  return ctx.index.negative(rcode, ctx.apexOffset, () => soaRecord(ctx.config, ctx.index, ctx.apexOffset));
}

/** A/AAAA owner: the lookup name (upstream); a pointer to the question when they are equal. */
function ownerOf(ctx: Context): Uint8Array {
  return ctx.fqdn === `${ctx.q.labels.join(".")}.` ? QUESTION_POINTER : encodeName(ctx.fqdn, ctx.q);
}

function addressRecords(ctx: Context, kind: "A" | "AAAA", owner: Uint8Array): Uint8Array[] {
  const map = kind === "A" ? ctx.index.records.a : ctx.index.records.aaaa;
  const values = map.get(ctx.fqdn);
  if (!values) return [];
  const out: Uint8Array[] = [];
  for (const value of values) {
    const rdata = kind === "A" ? ipv4Rdata(value) : ipv6Rdata(value);
    // A stored value that is not an IP is skipped, as upstream does.
    if (rdata) out.push(encodeRecord(owner, kind === "A" ? QTYPE.A : QTYPE.AAAA, ctx.config.TTL, rdata));
  }
  return out;
}

function srvRecords(ctx: Context): { answers: Uint8Array[]; additional: Uint8Array[] } {
  const values = ctx.index.records.srv.get(ctx.fqdn);
  if (!values) return { answers: [], additional: [] };
  const answers: Uint8Array[] = [];
  const additional: Uint8Array[] = [];
  const targets = new Set<string>();
  for (const value of values) {
    const srv = splitSrvValue(value);
    if (!srv) continue;
    // RFC 2782: the SRV target is never compressed (upstream's DNS library writes it whole,
    // and Go 1.11 to 1.21 resolvers reject a compressed one).
    const target = encodeName(srv.target, NO_COMPRESSION);
    answers.push(
      encodeRecord(
        QUESTION_POINTER,
        QTYPE.SRV,
        ctx.config.TTL,
        srvRdata(ctx.config.SRVRecordDefaultWeight, srv.port, target),
      ),
    );
    if (targets.has(srv.target)) continue;
    targets.add(srv.target);
    // At most one A and one AAAA per target, as upstream (docs/spec.md §6.4); owners may be compressed.
    const owner = encodeName(srv.target, ctx.q);
    const aRdata = firstParsed(ctx.index.records.a.get(srv.target), ipv4Rdata);
    if (aRdata) additional.push(encodeRecord(owner, QTYPE.A, ctx.config.TTL, aRdata));
    const aaaaRdata = firstParsed(ctx.index.records.aaaa.get(srv.target), ipv6Rdata);
    if (aaaaRdata) additional.push(encodeRecord(owner, QTYPE.AAAA, ctx.config.TTL, aaaaRdata));
  }
  return { answers, additional };
}

/** The domain's labels placed at `apexOffset`: SOA and NS names compress against the apex only. */
function apexShape(index: DomainIndex, apexOffset: number): QuestionShape {
  const labels = index.domain.split(".");
  const offsets: number[] = [];
  let at = apexOffset;
  for (const label of labels) {
    offsets.push(at);
    at += label.length + 1;
  }
  return { labels, offsets };
}

function apexPointer(apexOffset: number): Uint8Array {
  return Uint8Array.of(0xc0 | (apexOffset >> 8), apexOffset & 0xff);
}

/** The apex SOA; MINIMUM is SOAMinttl (upstream used TTL, docs/spec.md §10 #4). */
function soaRecord(c: Config, index: DomainIndex, apexOffset: number): Uint8Array {
  const apex = apexShape(index, apexOffset);
  const rdata = soaRdata(encodeName(c.SOAMname, apex), encodeName(c.SOARname, apex), [
    index.serial,
    c.SOARefresh,
    c.SOARetry,
    c.SOAExpire,
    c.SOAMinttl,
  ]);
  return encodeRecord(apexPointer(apexOffset), QTYPE.SOA, c.TTL, rdata);
}

function nsRecord(ctx: Context): Uint8Array {
  const apex = apexShape(ctx.index, ctx.apexOffset);
  return encodeRecord(
    apexPointer(ctx.apexOffset),
    QTYPE.NS,
    ctx.config.TTL,
    encodeName(ctx.config.SOAMname, apex),
  );
}
