/**
 * Timer functions as the core takes them: injected, so that tests drive time with a manual
 * clock instead of sleeping, and the Web-standard ones by default.
 *
 * @module
 */

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The runtime's `setTimeout` and `clearTimeout`. */
export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
