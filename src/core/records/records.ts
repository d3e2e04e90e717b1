/**
 * Record generation (docs/spec.md §5): a parsed Mesos state plus configuration in, an immutable
 * {@link RecordSet} out. Synchronous and pure: hostnames are resolved by the caller
 * beforehand (see `hostnamesToResolve`) and passed in `resolved`.
 *
 * Deliberate differences from upstream (docs/spec.md §10), each also noted where it is made:
 * - names with an empty label, a label over 63 octets or over 253 octets are skipped with a
 *   warning (#22, #24), and so are SRV records targeting them;
 * - raw DiscoveryInfo ("legacy") names are used only when they are valid DNS: `a-z 0-9 - _ .`,
 *   no empty label (#23); `liquor.store` is kept, `My App` is not;
 * - the agent-id tail in canonical names goes through `label()` (RFC 1123) (#22);
 * - DiscoveryInfo ports outside 0..65535 are skipped (#41);
 * - leader, master and listener hostnames are looked up in `resolved`, or skipped with a
 *   warning (#17); leader and master IPs are stored in canonical form;
 * - an agent whose host has no IP gets no records instead of a bogus A value (docs/spec.md §4.7);
 * - `SOAMname` is lower-cased;
 * - enumeration `records` is `[]` rather than `null` (#30), and the enumeration is only built
 *   when `EnumerationOn` is set.
 *
 * The loop over tasks (docs/spec.md §5.8, 5.12) runs once per task per refresh (100k tasks in the
 * benchmark); the records of one task label are made in `_task-pass.ts`.
 *
 * @module
 */

import type { Config } from "../config/config.ts";
import type { MesosState, MesosTask } from "../mesos/state-model.ts";
import { isUsableRawName, nameProblem } from "./_dns-name.ts";
import { CompactEnumerationTask, EnumerationLog } from "./_enumeration-task.ts";
import type { GenerateContext } from "./_generate-context.ts";
import { createContext } from "./_generate-context.ts";
import { agentRecords, frameworkRecords, leaderRecords, selfRecords } from "./_master-records.ts";
import { RecordStore } from "./_record-store.ts";
import { type PassNames, passNames, type TaskInfo, taskPass } from "./_task-pass.ts";
import { label } from "./labels.ts";
import type { EnumerationFramework, EnumerationTask, RecordSet } from "./record-set.ts";
import { taskHash } from "./task-hash.ts";
import { type IpValue, taskIps } from "./task-ips.ts";

export interface GenerateInput {
  readonly state: MesosState;
  readonly config: Config;
  /** The masters list of docs/spec.md §3.1, leader slot first; may start with "". */
  readonly masters: readonly string[];
  /** Hostname -> IPs from the system resolver, for hosts that are not IP literals. */
  readonly resolved: ReadonlyMap<string, readonly string[]>;
  /** Non-loopback interface IPs, used when `Listener` is `0.0.0.0` (docs/spec.md §5.6). */
  readonly localAddresses: readonly string[];
}

/**
 * Builds the record set for one state, in upstream's order (docs/spec.md §5.3): frameworks, agents,
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

/**
 * Emits the records of every counted task (docs/spec.md §4.4), frameworks and tasks in document order,
 * and returns the enumeration (docs/spec.md §5.12; empty when `EnumerationOn` is false: nothing serves
 * it then, and it is the largest structure for big clusters).
 */
export function taskRecords(
  ctx: GenerateContext,
  state: MesosState,
  agentIps: ReadonlyMap<string, readonly IpValue[]>,
  portSuffixes: string[] = new Array<string>(65536),
): EnumerationFramework[] {
  const log = ctx.config.EnumerationOn ? new EnumerationLog() : undefined;
  const sources = ctx.config.IPSources;
  const frameworks: EnumerationFramework[] = [];
  const tails = new Map<string, string>();
  const info: TaskInfo = {
    task: undefined as unknown as MesosTask,
    framework: "",
    frameworkTail: "",
    slaveTail: "",
    suffix: "",
    ips: [],
    agentIps: [],
    log,
    // Sized up front: assigning index 31000 of an empty array would make it a sparse one.
    portSuffixes,
  };
  for (const framework of state.frameworks) {
    const tasks: EnumerationTask[] = [];
    if (log) frameworks.push({ name: framework.name, tasks });
    const fragment = ctx.frag(framework.name);
    info.framework = framework.name;
    info.frameworkTail = `.${fragment}${ctx.tail}`;
    info.slaveTail = `.${fragment}.slave${ctx.tail}`;
    const names = new Map<string, PassNames>();
    // Improvement (docs/spec.md §10 #24): a framework name that sanitises to nothing gave names with an
    // empty label. The tail must be a valid name suffix for the length checks of passNames().
    const tailProblem = fragment === "" ? "name has no DNS label" : nameProblem(`x${info.slaveTail}`);
    if (tailProblem !== undefined && framework.tasks.length > 0) {
      ctx.warnings.push(
        `framework ${JSON.stringify(framework.name)}: ${tailProblem}; its task records skipped`,
      );
    }
    for (const task of framework.tasks) {
      if (task.state !== "TASK_RUNNING") continue;
      const agent = agentIps.get(task.slaveId);
      if (agent === undefined) continue;
      const entry = log ? new CompactEnumerationTask(task.name, task.id, log) : undefined;
      if (entry) tasks.push(entry);
      if (tailProblem !== undefined) continue;
      info.task = task;
      info.agentIps = agent;
      info.ips = taskIps(task, sources, agent, ctx.classify);
      info.suffix = `-${taskHash(task.id)}-${agentTail(task.slaveId, tails)}`;
      const discovery = task.discovery;
      if (!discovery) {
        taskPass(ctx, info, passNames(info, names, ctx.label(task.name)));
      } else {
        // Upstream's "legacy" pass with the raw DiscoveryInfo name comes first (docs/spec.md §5.8). It is
        // kept only for raw names that are valid DNS (docs/spec.md §10 #23), and skipped when it would
        // repeat the sanitised pass exactly.
        const sanitised = ctx.label(discovery.name);
        if (discovery.name !== sanitised && isUsableRawName(discovery.name)) {
          taskPass(ctx, info, passNames(info, names, discovery.name));
        }
        taskPass(ctx, info, passNames(info, names, sanitised));
      }
      entry?.close();
    }
  }
  return frameworks;
}

/**
 * The last `-` piece of the agent id, lower-cased. Upstream used it unsanitised (docs/spec.md §10 #22);
 * here it goes through the RFC 1123 label function, in both modes (RFC 952 would strip the
 * usual all-digit tails such as `0`); ordinary tails (`0`, `s1`) are unchanged.
 */
function agentTail(slaveId: string, memo: Map<string, string>): string {
  let tail = memo.get(slaveId);
  if (tail === undefined) {
    tail = label(slaveId.slice(slaveId.lastIndexOf("-") + 1), false);
    memo.set(slaveId, tail);
  }
  return tail;
}
