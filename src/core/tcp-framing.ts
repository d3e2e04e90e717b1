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

/** Reassembles length-prefixed messages from arbitrary chunks. */
export class FrameReader {
  #buffer: Uint8Array = new Uint8Array(0);
  readonly #maxBuffered: number;

  /** @param maxBuffered bytes kept while waiting for a message to complete (a frame is at most 65537). */
  constructor(maxBuffered = 65537 * 2) {
    this.#maxBuffered = maxBuffered;
  }

  /**
   * Adds a chunk and returns every message now complete. A zero length prefix is returned
   * as an empty message (callers close the connection on it, as upstream does).
   * Returns undefined when more than `maxBuffered` bytes pile up (the peer is misbehaving).
   */
  push(chunk: Uint8Array): Uint8Array[] | undefined {
    let buf: Uint8Array;
    if (this.#buffer.length === 0) buf = chunk;
    else {
      buf = new Uint8Array(this.#buffer.length + chunk.length);
      buf.set(this.#buffer);
      buf.set(chunk, this.#buffer.length);
    }
    const messages: Uint8Array[] = [];
    let offset = 0;
    while (buf.length - offset >= 2) {
      const len = (buf[offset]! << 8) | buf[offset + 1]!;
      if (buf.length - offset - 2 < len) break;
      // Copies (a Node Buffer's slice() would be a view into the runtime's chunk).
      messages.push(new Uint8Array(buf.subarray(offset + 2, offset + 2 + len)));
      offset += 2 + len;
    }
    this.#buffer = offset === buf.length ? new Uint8Array(0) : new Uint8Array(buf.subarray(offset));
    if (this.#buffer.length > this.#maxBuffered) return undefined;
    return messages;
  }
}
