/**
 * What the servers answer from: one generated record set and the facts about the state
 * load that produced it. A refresh builds a new snapshot and swaps it in with one
 * assignment, so a query sees the old one or the new one, never a mix (docs/spec.md §7.2).
 *
 * @module
 */
import type { RecordSet } from "./record-set.ts";

export interface Snapshot {
  readonly records: RecordSet;
  /** SOA serial: Unix seconds of this successful load (docs/spec.md §7.2). */
  readonly serial: number;
  /** Wall-clock time of the load, milliseconds since the epoch. */
  readonly loadedAtMs: number;
  /** The state's `leader` field (`master@ip:port`), or "" when absent. */
  readonly leader: string;
  /** The masters list used for this load (docs/spec.md §3.1; the first slot is the believed leader). */
  readonly masters: readonly string[];
  /** Where the records came from: a poll of the state (the default) or the event stream. */
  readonly source?: "poll" | "events";
}

/** Holds the current snapshot; readers call `current()` per query. */
export class SnapshotStore {
  #current: Snapshot | undefined;
  readonly #listeners: Array<(s: Snapshot) => void> = [];

  current(): Snapshot | undefined {
    return this.#current;
  }

  /** Swaps in a new snapshot and tells every listener. */
  publish(snapshot: Snapshot): void {
    this.#current = snapshot;
    for (const listener of this.#listeners) listener(snapshot);
  }

  onPublish(listener: (s: Snapshot) => void): void {
    this.#listeners.push(listener);
  }
}
