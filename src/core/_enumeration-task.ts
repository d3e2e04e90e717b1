/**
 * A compact {@link EnumerationTask}. All tasks of one generation share one flat log of
 * `type, name, value` triples (the strings are those the record store holds); each task
 * keeps its start and end in it, and `{name, host, rtype}` objects are made only when the
 * records are read or serialised.
 *
 * Why: with 100k tasks the enumeration has about a million records; as objects they took
 * more memory than the record store itself, while `/v1/enumerate` is rarely called.
 *
 * @module
 */

import type { EnumerationRecord, EnumerationTask, RecordType } from "./record-set.ts";

/** The shared `type, name, value, ...` log of one generation. */
export type EnumerationLog = string[];

export class CompactEnumerationTask implements EnumerationTask {
  readonly name: string;
  readonly id: string;
  readonly #log: EnumerationLog;
  readonly #start: number;
  #end: number;

  /** Starts a task whose records are the triples appended to `log` until {@link close}. */
  constructor(name: string, id: string, log: EnumerationLog) {
    this.name = name;
    this.id = id;
    this.#log = log;
    this.#start = log.length;
    this.#end = log.length;
  }

  /** Marks the end of this task's triples in the log. */
  close(): void {
    this.#end = this.#log.length;
  }

  /** A fresh array on every read, in emission order. */
  get records(): EnumerationRecord[] {
    const log = this.#log;
    const out: EnumerationRecord[] = [];
    for (let i = this.#start; i < this.#end; i += 3) {
      out.push({ name: log[i + 1]!, host: log[i + 2]!, rtype: log[i] as RecordType });
    }
    return out;
  }

  /** Serialises as the plain `{name, id, records}` object of SPEC 5.12. */
  toJSON(): { name: string; id: string; records: EnumerationRecord[] } {
    return { name: this.name, id: this.id, records: this.records };
  }
}
