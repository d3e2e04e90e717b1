/**
 * Record generation (SPEC 5): a parsed Mesos state plus configuration in, an immutable
 * {@link RecordSet} out. Synchronous and pure: hostnames are resolved by the caller
 * beforehand (see `hostnamesToResolve`) and passed in `resolved`.
 *
 * Deliberate differences from upstream (SPEC 10), each also noted where it is made:
 * - names with an empty label, a label over 63 octets or over 253 octets are skipped with a
 *   warning (#22, #24), and so are SRV records targeting them;
 * - raw DiscoveryInfo ("legacy") names are used only when they are valid DNS: `a-z 0-9 - _ .`,
 *   no empty label (#23); `liquor.store` is kept, `My App` is not;
 * - the agent-id tail in canonical names goes through `label()` (RFC 1123) (#22);
 * - DiscoveryInfo ports outside 0..65535 are skipped (#41);
 * - leader, master and listener hostnames are looked up in `resolved`, or skipped with a
 *   warning (#17); leader and master IPs are stored in canonical form;
 * - an agent whose host has no IP gets no records instead of a bogus A value (SPEC 4.7);
 * - `SOAMname` is lower-cased;
 * - enumeration `records` is `[]` rather than `null` (#30), and the enumeration is only built
 *   when `EnumerationOn` is set.
 *
 * @module
 */

import { createContext } from "./_generate-context.ts";
import { agentRecords, frameworkRecords, leaderRecords, selfRecords } from "./_master-records.ts";
import { RecordStore } from "./_record-store.ts";
import { taskRecords } from "./_task-records.ts";
import type { Config } from "./config.ts";
import type { RecordSet } from "./record-set.ts";
import type { MesosState } from "./state.ts";

export interface GenerateInput {
  readonly state: MesosState;
  readonly config: Config;
  /** The masters list of SPEC 3.1, leader slot first; may start with "". */
  readonly masters: readonly string[];
  /** Hostname -> IPs from the system resolver, for hosts that are not IP literals. */
  readonly resolved: ReadonlyMap<string, readonly string[]>;
  /** Non-loopback interface IPs, used when `Listener` is `0.0.0.0` (SPEC 5.6). */
  readonly localAddresses: readonly string[];
}

/**
 * Builds the record set for one state, in upstream's order (SPEC 5.3): frameworks, agents,
 * self, leader/masters, tasks. Never throws on any `MesosState`; problems become
 * `RecordSet.warnings`.
 */
export function generateRecords(input: GenerateInput): RecordSet {
  const builder = new RecordStore();
  const ctx = createContext(builder, input.config, input.resolved);
  frameworkRecords(ctx, input.state);
  const agentIps = agentRecords(ctx, input.state);
  selfRecords(ctx, input.localAddresses);
  leaderRecords(ctx, input.state.leader, input.masters);
  const frameworks = taskRecords(ctx, input.state, agentIps);
  return builder.build({ frameworks }, ctx.warnings);
}
