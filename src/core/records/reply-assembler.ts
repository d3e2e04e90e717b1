/**
 * Assembles an in-domain reply from prepared sections: the query's header and question
 * copied (which echoes the question's letter case), answers shuffled, size limit and
 * truncation per docs/spec.md §6.5, and an OPT record for EDNS clients (improvement a).
 *
 * @module
 */
import type { ParsedQuery } from "../dns/codec.ts";
import { FLAG } from "../dns/codec.ts";
import type { PreparedAnswer } from "./domain-index.ts";

export interface AssembleInput {
  readonly query: Uint8Array;
  readonly parsed: ParsedQuery;
  readonly answer: PreparedAnswer;
  readonly recurse: boolean;
  readonly setTruncateBit: boolean;
  /** The reply must stay below this many bytes (512, the client's EDNS size, or 65535). */
  readonly limit: number;
  readonly random: () => number;
}

const OPT_SIZE = 11;
const EMPTY: readonly Uint8Array[] = [];
/** The order of zero or one answer: nothing to shuffle, nothing to allocate. */
const SINGLE: readonly number[] = [0];

function sum(parts: readonly Uint8Array[]): number {
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}

/** Fisher-Yates order of `n` indices. */
function shuffledOrder(n: number, random: () => number): readonly number[] {
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

export function assembleReply(input: AssembleInput): Uint8Array {
  const { query, parsed, limit } = input;
  const edns = parsed.edns;
  // EDNS versions above 0 get BADVERS (RFC 6891 6.1.3) with no records.
  const badVersion = edns !== undefined && edns.version > 0;
  const answer = input.answer;
  const answers = badVersion ? EMPTY : answer.answers;
  const authority = badVersion ? EMPTY : answer.authority;
  let additional = badVersion ? EMPTY : answer.additional;
  const optSize = edns ? OPT_SIZE : 0;

  const order = answers.length > 1 ? shuffledOrder(answers.length, input.random) : SINGLE;
  let size = parsed.questionEnd + sum(answers) + sum(authority) + sum(additional) + optSize;
  let answerCount = answers.length;
  let truncated = false;
  if (size > limit) {
    // docs/spec.md §6.5: drop the additional section; then answers from the end until strictly below.
    truncated = true;
    size -= sum(additional);
    additional = EMPTY;
    while (size >= limit && answerCount > 0) {
      answerCount--;
      size -= answers[order[answerCount]!]!.length;
    }
  }

  const out = new Uint8Array(size);
  out.set(query.subarray(0, parsed.questionEnd));
  const copied = parsed.opcode === 0 ? parsed.flags & (FLAG.RD | FLAG.CD) : 0;
  const rcode = badVersion ? 0 : answer.rcode;
  const flags =
    FLAG.QR |
    (parsed.opcode << 11) |
    FLAG.AA |
    (input.recurse ? FLAG.RA : 0) |
    copied |
    (truncated && input.setTruncateBit ? FLAG.TC : 0) |
    (rcode & 0xf);
  out[2] = flags >> 8;
  out[3] = flags & 0xff;
  out[4] = 0;
  out[5] = 1;
  out[6] = answerCount >> 8;
  out[7] = answerCount & 0xff;
  out[8] = authority.length >> 8;
  out[9] = authority.length & 0xff;
  const arcount = additional.length + (edns ? 1 : 0);
  out[10] = arcount >> 8;
  out[11] = arcount & 0xff;

  let at = parsed.questionEnd;
  for (let i = 0; i < answerCount; i++) {
    const record = answers[order[i]!]!;
    out.set(record, at);
    at += record.length;
  }
  for (const record of authority) {
    out.set(record, at);
    at += record.length;
  }
  for (const record of additional) {
    out.set(record, at);
    at += record.length;
  }
  if (edns) {
    const udpSize = Math.min(4096, Math.max(512, edns.udpSize));
    out[at] = 0; // root owner
    out[at + 1] = 0;
    out[at + 2] = 41; // OPT
    out[at + 3] = udpSize >> 8;
    out[at + 4] = udpSize & 0xff;
    out[at + 5] = badVersion ? 1 : 0; // extended RCODE: BADVERS is 16 = 1 << 4
    out[at + 6] = 0; // version 0
    out[at + 7] = edns.dnssecOk ? 0x80 : 0; // DO copied back (RFC 3225)
    out[at + 8] = 0;
    out[at + 9] = 0; // no options
    out[at + 10] = 0;
  }
  return out;
}
