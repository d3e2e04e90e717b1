/**
 * RecordIO, the framing of the Mesos operator API's streaming responses (`SUBSCRIBE`): each
 * record is its length in bytes as decimal digits, a newline, then exactly that many bytes.
 *
 * @module
 */

/** One decoded record, or the one error that stopped the decoder. */
export type RecordIoItem =
  | { readonly ok: true; readonly record: Uint8Array }
  | { readonly ok: false; readonly error: string };

/**
 * The most digits a length line may have: 20 holds every 64-bit length. A longer line is
 * garbage, and the limit keeps a stream without newlines from being read digit by digit
 * for ever.
 */
export const MAX_LENGTH_DIGITS = 20;

const NEWLINE = 0x0a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/**
 * Decodes a RecordIO byte stream fed in chunks of any size and split anywhere (inside a
 * length line or a record). Each byte is looked at once and each record is copied once into
 * a buffer allocated when its length is known, so the work is linear in the bytes fed.
 * Records are copies: the caller may reuse its chunks.
 *
 * The first error (a bad length line, a record over the limit, a stream cut inside a frame)
 * is returned as an item and stops the decoder: every later call returns [].
 */
export class RecordIoDecoder {
  readonly #maxRecordBytes: number;
  /** Digits of the length line read so far ("" between records). */
  #digits = "";
  /** The record being filled, once its length line is complete. */
  #record: Uint8Array | undefined;
  #filled = 0;
  /** Bytes consumed from the stream so far, for messages. */
  #offset = 0;
  #stopped = false;

  /**
   * @param maxRecordBytes the largest record accepted; a longer length is an error before any
   *   of its bytes are buffered. NaN or a negative value accepts only empty records.
   */
  constructor(maxRecordBytes: number) {
    // Not Math.max: it would keep NaN, and every length would then pass the limit check.
    this.#maxRecordBytes = Number.isNaN(maxRecordBytes) || maxRecordBytes < 0 ? 0 : maxRecordBytes;
  }

  /** Feeds one chunk; returns the records it completed, in order, and at most one error last. */
  push(chunk: Uint8Array): RecordIoItem[] {
    const items: RecordIoItem[] = [];
    if (this.#stopped) return items;
    let at = 0;
    while (at < chunk.length) {
      if (this.#record === undefined) {
        const used = this.#readLength(chunk, at);
        if (typeof used === "string") return this.#fail(items, used);
        at += used;
      } else {
        at += this.#fill(chunk, at);
      }
      if (this.#record !== undefined && this.#filled === this.#record.length) {
        items.push({ ok: true, record: this.#record });
        this.#record = undefined;
        this.#filled = 0;
      }
    }
    return items;
  }

  /** The stream ended: an error item when it ended inside a length line or a record, else none. */
  end(): RecordIoItem[] {
    if (this.#stopped) return [];
    this.#stopped = true;
    if (this.#record !== undefined) {
      const missing = this.#record.length - this.#filled;
      return [
        {
          ok: false,
          error: `RecordIO stream ended inside a ${this.#record.length}-byte record at byte ${this.#offset}: ${missing} bytes missing`,
        },
      ];
    }
    if (this.#digits !== "") {
      // At least the newline and the record it announces are missing; more digits might have followed.
      const missing = Number(this.#digits) + 1;
      return [
        {
          ok: false,
          error: `RecordIO stream ended inside the length line "${this.#digits}" at byte ${this.#offset}: at least ${missing} bytes missing`,
        },
      ];
    }
    return [];
  }

  /**
   * Reads length-line bytes from `chunk[at..]`; when the newline arrives, allocates the
   * record. Returns how many bytes were used, or an error message.
   */
  #readLength(chunk: Uint8Array, at: number): number | string {
    for (let index = at; index < chunk.length; index++) {
      const byte = chunk[index]!;
      if (byte === NEWLINE) {
        this.#offset += index + 1 - at;
        return this.#startRecord() ?? index + 1 - at;
      }
      const where = this.#offset + (index - at);
      if (byte < DIGIT_0 || byte > DIGIT_9) {
        return `RecordIO length line is not a decimal number: byte ${describeByte(byte)} at byte ${where}`;
      }
      if (this.#digits.length === MAX_LENGTH_DIGITS) {
        return `RecordIO length line has no newline within ${MAX_LENGTH_DIGITS} digits at byte ${where}`;
      }
      this.#digits += String.fromCharCode(byte);
    }
    this.#offset += chunk.length - at;
    return chunk.length - at;
  }

  /** The length line is complete: checks it and allocates the record. */
  #startRecord(): string | undefined {
    const digits = this.#digits;
    this.#digits = "";
    const lineStart = this.#offset - digits.length - 1;
    if (digits === "") return `RecordIO length line is empty at byte ${lineStart}`;
    // Up to 20 digits: the number may be rounded, but only above 2^53, far over any limit.
    const length = Number(digits);
    if (length > this.#maxRecordBytes) {
      return `RecordIO record of ${digits} bytes at byte ${lineStart} is over the limit of ${this.#maxRecordBytes} bytes`;
    }
    try {
      this.#record = new Uint8Array(length);
    } catch {
      return `RecordIO record of ${digits} bytes at byte ${lineStart}: cannot allocate it`;
    }
    this.#filled = 0;
    return undefined;
  }

  /** Copies record bytes from `chunk[at..]`; returns how many were used. */
  #fill(chunk: Uint8Array, at: number): number {
    const record = this.#record!;
    const count = Math.min(record.length - this.#filled, chunk.length - at);
    record.set(chunk.subarray(at, at + count), this.#filled);
    this.#filled += count;
    this.#offset += count;
    return count;
  }

  #fail(items: RecordIoItem[], error: string): RecordIoItem[] {
    this.#stopped = true;
    this.#record = undefined;
    items.push({ ok: false, error });
    return items;
  }
}

/** A byte for messages: the character when printable ASCII, and its hex code. */
function describeByte(byte: number): string {
  const hex = `0x${byte.toString(16).padStart(2, "0")}`;
  return byte >= 0x20 && byte < 0x7f ? `${JSON.stringify(String.fromCharCode(byte))} (${hex})` : hex;
}
