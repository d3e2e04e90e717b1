/**
 * The normalised state model every state source produces and the record generator reads
 * (docs/architecture.md): masters' state documents, parsed in `state.ts`, map onto it.
 *
 * @module
 */

/** A host and port taken from a PID (docs/spec.md §4.2). `host` is an IP literal or a hostname. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface MesosLabel {
  readonly key: string;
  readonly value: string;
}

export interface MesosStatus {
  readonly state: string;
  /** Seconds since the epoch; 0 when absent. */
  readonly timestamp: number;
  readonly labels: readonly MesosLabel[];
  /**
   * NetworkInfo IP texts, unvalidated, in order (docs/spec.md §4.6): per `network_infos[]` entry, every
   * `ip_addresses[].ip_address` when that list is non-empty, else its 0.25-style `ip_address`.
   */
  readonly networkIps: readonly string[];
}

export interface DiscoveryPort {
  /** An integer; range is checked by the generator. */
  readonly number: number;
  readonly name: string;
  readonly protocol: string;
}

/** DiscoveryInfo, present only when its `name` is non-empty (upstream's `HasDiscoveryInfo`). */
export interface Discovery {
  readonly name: string;
  readonly ports: readonly DiscoveryPort[];
}

export interface MesosTask {
  readonly id: string;
  readonly name: string;
  readonly slaveId: string;
  readonly state: string;
  /** Expanded host ports (docs/spec.md §4.3). */
  readonly ports: readonly number[];
  readonly statuses: readonly MesosStatus[];
  readonly discovery: Discovery | undefined;
}

export interface MesosFramework {
  /** The framework's `id`; "" when absent or not a string (so a stream's events can name it). */
  readonly id: string;
  readonly name: string;
  /** Scheduler address from `pid`; undefined when the framework has none (docs/spec.md §4.8). */
  readonly pid: HostPort | undefined;
  /** Scheduler host when there is no pid. */
  readonly hostname: string;
  readonly tasks: readonly MesosTask[];
}

export interface MesosAgent {
  readonly id: string;
  readonly pid: HostPort;
}

export interface MesosState {
  /** `name@ip:port`, or "" when absent. */
  readonly leader: string;
  readonly frameworks: readonly MesosFramework[];
  readonly slaves: readonly MesosAgent[];
}

/**
 * The one empty list of the parsed state, shared by every entity without labels, IPs or
 * ports. Not frozen, and made with an element popped: JavaScriptCore gives frozen and
 * never-filled arrays other internal shapes than ordinary lists, and optimised code that
 * met both kinds fell back and was compiled again and again. Never changed: it is readonly.
 */
export const EMPTY: readonly never[] = emptyList();

function emptyList(): never[] {
  const list = [undefined as never];
  list.pop();
  return list;
}
