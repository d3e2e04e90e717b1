/**
 * Fitting a finished reply into the client's size limit (docs/spec.md §6.5): drop the additional
 * section (OPT included); if the reply is still not strictly below the limit, drop answers
 * from the end; never touch the authority section. Done by cutting bytes, which is exact
 * because every record keeps its encoding; only when a compression pointer would point into
 * the removed bytes is the message decoded and encoded again.
 *
 * @module
 */

import type { MessageToEncode } from "./codec.ts";
import { decodeMessage, encodeMessage, FLAG, put16 } from "./codec.ts";
import type { MessageLayout } from "./message-walk.ts";
import { layoutMessage, pointersIn, pointerTarget } from "./message-walk.ts";

/**
 * Returns `reply` fitted into `limit` bytes with its TC bit set as docs/spec.md §6.5 says: with
 * `setTruncateBit`, TC is set when the reply had to be cut and kept when the resolver set it;
 * without it, TC is always cleared. `reply` is modified in place when it fits (its flags) and
 * must be owned by the caller. `layout` may be passed when the caller already has it.
 */
export function limitReply(
  reply: Uint8Array,
  limit: number,
  setTruncateBit: boolean,
  layout?: MessageLayout,
): Uint8Array {
  let out = reply;
  let cut = false;
  if (reply.length > limit) {
    const walked = layout ?? layoutMessage(reply);
    const fitted = walked ? (cutToFit(reply, walked, limit) ?? reencodeToFit(reply, limit)) : undefined;
    if (fitted) {
      out = fitted;
      cut = true;
    }
  }
  if (out.length >= 4) {
    if (!setTruncateBit) out[2] = out[2]! & ~(FLAG.TC >> 8);
    else if (cut) out[2] = out[2]! | (FLAG.TC >> 8);
  }
  return out;
}

/** Cuts bytes; undefined when a pointer of a kept record targets removed bytes. */
function cutToFit(msg: Uint8Array, layout: MessageLayout, limit: number): Uint8Array | undefined {
  const starts = layout.recordStarts;
  const an = layout.ancount;
  const authStart = starts[an]!;
  const arStart = starts[an + layout.nscount]!;
  const pointers = pointersIn(msg, layout, 0, an + layout.nscount);
  for (const p of pointers) if (pointerTarget(msg, p) >= arStart) return undefined;
  if (arStart < limit) {
    const out = new Uint8Array(msg.subarray(0, arStart));
    put16(out, 10, 0);
    return out;
  }
  const authLen = arStart - authStart;
  let keep = an;
  while (keep > 0 && starts[keep]! + authLen >= limit) keep--;
  const removedStart = starts[keep]!;
  const delta = authStart - removedStart;
  const moved: number[] = [];
  for (const p of pointers) {
    const target = pointerTarget(msg, p);
    if (p < removedStart) {
      if (target >= removedStart) return undefined;
    } else if (p >= authStart) {
      if (target >= removedStart && target < authStart) return undefined;
      if (target >= authStart) moved.push(p);
    }
  }
  const out = new Uint8Array(removedStart + authLen);
  out.set(msg.subarray(0, removedStart));
  out.set(msg.subarray(authStart, arStart), removedStart);
  // Authority records moved down by `delta` bytes; pointers into them move with them.
  for (const p of moved) {
    const target = pointerTarget(msg, p) - delta;
    out[p - delta] = 0xc0 | (target >> 8);
    out[p - delta + 1] = target & 0xff;
  }
  put16(out, 6, keep);
  put16(out, 10, 0);
  return out;
}

/** The slow path: decode, drop additional records and trailing answers, encode again. */
function reencodeToFit(msg: Uint8Array, limit: number): Uint8Array | undefined {
  const decoded = decodeMessage(msg);
  if (!decoded) return undefined;
  const answers = decoded.answers ?? [];
  try {
    for (let keep = answers.length; keep >= 0; keep--) {
      // Decoded records have the shape dns-packet encodes; its typings name them differently.
      const bytes = encodeMessage({
        ...decoded,
        answers: answers.slice(0, keep),
        additionals: [],
      } as MessageToEncode);
      if (bytes.length < limit || keep === 0)
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    }
  } catch {
    return undefined;
  }
  return undefined;
}
