/**
 * DNS over TCP framing (RFC 1035 4.2.2, RFC 7766): each message is preceded by its
 * length as a 16-bit big-endian number. Written once here, used by the server and by
 * the forwarder's TCP connections.
 *
 * @module
 */

/** Prefixes `message` with its 2-byte length. */
export function frameMessage(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(message.length + 2);
  out[0] = message.length >> 8;
  out[1] = message.length & 0xff;
  out.set(message, 2);
  return out;
}

/**
 * Reassembles length-prefixed messages from arbitrary chunks. Each byte is copied once: a
 * message's buffer is allocated when its length is known and filled as chunks arrive, so a
 * peer that trickles one byte at a time costs linear, not quadratic, work.
 */
export class FrameReader {
  /** The first byte of a length prefix split across chunks, or -1. */
  #lengthHigh = -1;
  /** The message being filled, and how much of it is filled. */
  #message: Uint8Array | undefined;
  #filled = 0;

  /**
   * Adds a chunk and returns every message now complete. A zero length prefix is returned
   * as an empty message (callers close the connection on it, as upstream does).
   */
  push(chunk: Uint8Array): Uint8Array[] {
    const messages: Uint8Array[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.#message === undefined) {
        let length: number;
        if (this.#lengthHigh >= 0) {
          length = (this.#lengthHigh << 8) | chunk[at]!;
          this.#lengthHigh = -1;
          at += 1;
        } else if (at + 1 < chunk.length) {
          length = (chunk[at]! << 8) | chunk[at + 1]!;
          at += 2;
        } else {
          this.#lengthHigh = chunk[at]!;
          at += 1;
          break;
        }
        if (length === 0) {
          messages.push(new Uint8Array(0));
          continue;
        }
        this.#message = new Uint8Array(length);
        this.#filled = 0;
      }
      const message = this.#message;
      const take = Math.min(message.length - this.#filled, chunk.length - at);
      message.set(chunk.subarray(at, at + take), this.#filled);
      this.#filled += take;
      at += take;
      if (this.#filled === message.length) {
        messages.push(message);
        this.#message = undefined;
      }
    }
    return messages;
  }
}
