/**
 * A compact {@link EnumerationTask}. All tasks of one generation share one
 * {@link EnumerationLog} of the records they added (the strings are those the record store
 * holds); each task keeps its start and end in it, and `{name, host, rtype}` objects are
 * made only when the records are read or serialised.
 *
 * Why: with 100k tasks the enumeration has about a million records; as objects they took
 * more memory than the record store itself, while `/v1/enumerate` is rarely called.
 *
 * @module
 */

import type { EnumerationRecord, EnumerationTask, RecordType } from "./record-set.ts";

/**
 * SRV records with one target under several owner names, logged as two entries (the block,
 * then the `target:port` value) instead of three per record. A task's host ports go under
 * two or four names shared by every instance of its app, so one block serves them all.
 */
export interface SrvBlock {
  readonly owners: readonly string[];
}

/** Entries per chunk. */
const CHUNK = 6 * 1024;

/**
 * The records of one generation, in emission order: `type, name, value` triples and
 * `SrvBlock, value` pairs. Kept in fixed-size chunks, because one array of millions of
 * entries is copied each time it grows.
 */
export class EnumerationLog {
  readonly #chunks: unknown[][] = [];
  #current: unknown[] = [];
  #length = 0;

  /** Position of the next entry: chunk index * CHUNK + offset. */
  get length(): number {
    return this.#length;
  }

  /** Logs one record. */
  add(type: RecordType, name: string, value: string): void {
    this.#room(3).push(type, name, value);
    this.#length = (this.#chunks.length - 1) * CHUNK + this.#current.length;
  }

  /** Logs one SRV record with `value` under each of `block.owners`. */
  addBlock(block: SrvBlock, value: string): void {
    this.#room(2).push(block, value);
    this.#length = (this.#chunks.length - 1) * CHUNK + this.#current.length;
  }

  /** Appends the records logged between positions `start` and `end` to `out`. */
  read(start: number, end: number, out: EnumerationRecord[]): void {
    let i = start;
    while (i < end) {
      const index = Math.floor(i / CHUNK);
      const chunk = this.#chunks[index]!;
      const offset = i - index * CHUNK;
      if (offset >= chunk.length) {
        // The unused end of a chunk whose last record did not fit.
        i = (index + 1) * CHUNK;
        continue;
      }
      const head = chunk[offset];
      if (typeof head === "string") {
        out.push({
          name: chunk[offset + 1] as string,
          host: chunk[offset + 2] as string,
          rtype: head as RecordType,
        });
        i += 3;
      } else {
        const host = chunk[offset + 1] as string;
        for (const name of (head as SrvBlock).owners) out.push({ name, host, rtype: "SRV" });
        i += 2;
      }
    }
  }

  /** The chunk to append `entries` entries to, so that a record never straddles two chunks. */
  #room(entries: number): unknown[] {
    if (this.#chunks.length === 0 || this.#current.length + entries > CHUNK) {
      this.#current = [];
      this.#chunks.push(this.#current);
    }
    return this.#current;
  }
}

export class CompactEnumerationTask implements EnumerationTask {
  readonly name: string;
  readonly id: string;
  readonly #log: EnumerationLog;
  readonly #start: number;
  #end: number;

  /** Starts a task whose records are those added to `log` until {@link close}. */
  constructor(name: string, id: string, log: EnumerationLog) {
    this.name = name;
    this.id = id;
    this.#log = log;
    this.#start = log.length;
    this.#end = this.#start;
  }

  /** Marks the end of this task's records in the log. */
  close(): void {
    this.#end = this.#log.length;
  }

  /** A fresh array on every read, in emission order. */
  get records(): EnumerationRecord[] {
    const out: EnumerationRecord[] = [];
    this.#log.read(this.#start, this.#end, out);
    return out;
  }

  /** Serialises as the plain `{name, id, records}` object of docs/spec.md §5.12. */
  toJSON(): { name: string; id: string; records: EnumerationRecord[] } {
    return { name: this.name, id: this.id, records: this.records };
  }
}
