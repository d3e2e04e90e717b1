/**
 * What every part of record generation shares: the builder, warnings, naming settings and
 * the memoised helpers.
 *
 * @module
 */

import type { Config } from "../config/config.ts";
import type { RecordStore } from "./_record-store.ts";
import { frag, label } from "./labels.ts";
import type { RecordType } from "./record-set.ts";
import { type Classify, fastClassify, type IpValue } from "./task-ips.ts";

export interface GenerateContext {
  readonly builder: RecordStore;
  readonly warnings: string[];
  /** `.D.`: the domain with a leading and a trailing dot, appended to every owner name. */
  readonly tail: string;
  readonly config: Config;
  readonly classify: Classify;
  /** {@link label} in the configured mode, memoised (task and port names repeat a lot). */
  label(name: string): string;
  /** {@link frag} in the configured mode. */
  frag(name: string): string;
  /** IPs of a host: itself when an IP literal, else its entry in `resolved` (docs/spec.md §4.7, 4.8). */
  hostIps(host: string): readonly IpValue[];
  /** Inserts a record; see {@link RecordStore.insert}. */
  insert(type: RecordType, name: string, value: string): boolean;
}

export function createContext(
  builder: RecordStore,
  config: Config,
  resolved: ReadonlyMap<string, readonly string[]>,
): GenerateContext {
  const rfc952 = config.EnforceRFC952;
  const classify = fastClassify;
  const labels = new Map<string, string>();
  const hosts = new Map<string, readonly IpValue[]>();
  return {
    builder,
    warnings: [],
    tail: `.${config.Domain.toLowerCase().replace(/\.+$/, "")}.`,
    config,
    classify,
    label(name) {
      let out = labels.get(name);
      if (out === undefined) {
        out = label(name, rfc952);
        labels.set(name, out);
      }
      return out;
    },
    frag: (name) => frag(name, rfc952),
    hostIps(host) {
      let out = hosts.get(host);
      if (out === undefined) {
        const literal = classify(host);
        if (literal) out = [literal];
        else {
          const ips: IpValue[] = [];
          for (const text of resolved.get(host) ?? []) {
            const ip = classify(text);
            if (ip && !ips.some((seen) => seen.text === ip.text)) ips.push(ip);
          }
          out = ips;
        }
        hosts.set(host, out);
      }
      return out;
    },
    insert: (type, name, value) => builder.insert(type, name, value),
  };
}
