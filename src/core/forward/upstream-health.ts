/**
 * Consecutive-failure tracking per resolver, so one dead resolver does not add its whole
 * timeout to every forwarded query: after `threshold` failures in a row it moves to the end
 * of the order for `coolOffMs`; then it is tried in its configured place again (a probe),
 * and one more failure sends it back to the end.
 *
 * @module
 */

export interface UpstreamHealthOptions {
  /** Milliseconds clock. */
  readonly now: () => number;
  /** Failures in a row that make a resolver unhealthy (default 3). */
  readonly threshold?: number;
  /** How long an unhealthy resolver stays at the end of the order (default 30 000 ms). */
  readonly coolOffMs?: number;
}

/** Health of resolvers, keyed by a caller-chosen string (the forwarder uses transport + address). */
export interface UpstreamHealth {
  /** `list` in configured order with cooling-off resolvers moved to the end (in configured order too). */
  order<T>(list: readonly T[], keyOf: (item: T) => string): readonly T[];
  success(key: string): void;
  failure(key: string): void;
  /** True while `key` is cooling off. */
  cooling(key: string): boolean;
}

interface Entry {
  failures: number;
  coolUntil: number;
}

export function createUpstreamHealth(options: UpstreamHealthOptions): UpstreamHealth {
  const threshold = options.threshold ?? 3;
  const coolOffMs = options.coolOffMs ?? 30_000;
  const { now } = options;
  const entries = new Map<string, Entry>();

  function cooling(key: string): boolean {
    const e = entries.get(key);
    return e !== undefined && e.failures >= threshold && now() < e.coolUntil;
  }

  return {
    cooling,
    order(list, keyOf) {
      // Fast path: nobody has failed, the configured order stands (no allocation).
      if (entries.size === 0) return list;
      let anyCooling = false;
      for (const item of list) {
        if (cooling(keyOf(item))) {
          anyCooling = true;
          break;
        }
      }
      if (!anyCooling) return list;
      const healthy: (typeof list)[number][] = [];
      const cool: (typeof list)[number][] = [];
      for (const item of list) (cooling(keyOf(item)) ? cool : healthy).push(item);
      return healthy.concat(cool);
    },
    success(key) {
      entries.delete(key);
    },
    failure(key) {
      const e = entries.get(key) ?? { failures: 0, coolUntil: 0 };
      e.failures++;
      if (e.failures >= threshold) e.coolUntil = now() + coolOffMs;
      entries.set(key, e);
    },
  };
}
