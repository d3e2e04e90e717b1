/**
 * Leader detection (docs/spec.md §3.1-3.3): a detector reports every new masters list; the
 * refresh loop fetches state from it. Two kinds: static (the configured masters, reported
 * once) and ZooKeeper (`zk-detector.ts`).
 *
 * @module
 */
import { type MastersList, staticMasters } from "./masters-list.ts";

/** Reports masters lists (first slot: the believed leader, "" when unknown). */
export interface MasterDetector {
  /** Starts detection; `onChange` receives each new list. Called once per detector. */
  start(onChange: (masters: MastersList) => void): void;
  /** Stops detection; no `onChange` call follows. */
  stop(): Promise<void>;
}

/**
 * The static detector (no `zk`): reports exactly the configured masters once, on the next
 * microtask after `start`, so the first one occupies the leader slot (docs/spec.md §3.1, 3.2).
 */
export function staticDetector(config: { readonly Masters: readonly string[] | null }): MasterDetector {
  let stopped = false;
  return {
    start(onChange) {
      const list = staticMasters(config.Masters);
      queueMicrotask(() => {
        if (!stopped) onChange(list);
      });
    },
    stop() {
      stopped = true;
      return Promise.resolve();
    },
  };
}
