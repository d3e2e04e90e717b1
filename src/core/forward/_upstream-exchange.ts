/**
 * What the UDP and TCP upstream transports share: the result of one attempt, random query
 * IDs, and the check that a reply answers the query we sent.
 *
 * @module
 */

import { FLAG, get16 } from "../dns/codec.ts";
import type { MessageLayout } from "../dns/message-walk.ts";
import { layoutMessage, sameQuestion } from "../dns/message-walk.ts";

/** The result of sending one query to one resolver. */
export type ExchangeResult =
  | { readonly outcome: "ok"; readonly reply: Uint8Array; readonly layout: MessageLayout }
  | { readonly outcome: "timeout" | "error" | "refused" };

export const TIMEOUT: ExchangeResult = { outcome: "timeout" };
export const FAILED: ExchangeResult = { outcome: "error" };
export const REFUSED: ExchangeResult = { outcome: "refused" };

/**
 * A source of 16-bit query IDs: `random` (a [0, 1) function, for tests) or the Web Crypto
 * generator, drawn 512 at a time so a query costs no system call.
 */
export function createIdSource(random?: () => number): () => number {
  if (random) return () => Math.floor(random() * 0x10000) & 0xffff;
  const batch = new Uint16Array(512);
  let next = batch.length;
  return () => {
    if (next === batch.length) {
      crypto.getRandomValues(batch);
      next = 0;
    }
    return batch[next++]!;
  };
}

/**
 * Judges a datagram or TCP message whose ID matched a pending query: "stray" when it is not a
 * reply to that query (not a response, or another question), "malformed" when it is but its
 * records do not parse, else its layout. A header-only error reply (RCODE set, no question
 * and no records at all, as some servers send for FORMERR) is accepted as the answer; a reply
 * without a question but with records is not (nothing shows which query it answers).
 */
export function judgeReply(
  reply: Uint8Array,
  sent: Uint8Array,
  questionEnd: number,
): MessageLayout | "stray" | "malformed" {
  if (reply.length < 12) return "stray";
  const flags = get16(reply, 2);
  if (!(flags & FLAG.QR)) return "stray";
  if (get16(reply, 4) === 0) {
    if ((flags & 0xf) === 0 || get16(reply, 6) !== 0 || get16(reply, 8) !== 0 || get16(reply, 10) !== 0)
      return "stray";
  } else if (!sameQuestion(reply, sent, questionEnd)) return "stray";
  return layoutMessage(reply) ?? "malformed";
}
