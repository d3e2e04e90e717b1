/**
 * Task records (SPEC 5.8) and the enumeration data (SPEC 5.12).
 *
 * This runs once per task per refresh (100k tasks in the benchmark). Names shared by the
 * instances of one app are built and checked once per framework (the same string objects
 * then hit the record maps with their hash already computed), each owner name is looked up
 * once per task, and name validity is computed from label lengths.
 *
 * @module
 */

import { isUsableRawName, labelExtents, nameProblem } from "./_dns-name.ts";
import { CompactEnumerationTask, type EnumerationLog } from "./_enumeration-task.ts";
import type { GenerateContext } from "./_generate-context.ts";
import { label } from "./labels.ts";
import type { EnumerationFramework, EnumerationTask, RecordType } from "./record-set.ts";
import type { MesosState, MesosTask } from "./state.ts";
import { taskHash } from "./task-hash.ts";
import { type IpValue, taskIps } from "./task-ips.ts";

/** The names one task label `t` gives in one framework, and which of them are valid DNS. */
interface PassNames {
  readonly t: string;
  /** False when `t` is empty or has an empty label or one over 63 octets: the pass is skipped. */
  readonly valid: boolean;
  /** Length of `t`'s last label, which the canonical suffix extends. */
  readonly lastLabel: number;
  readonly name: string;
  readonly slaveName: string;
  readonly tcpSlave: string;
  readonly udpSlave: string;
  readonly tcp: string;
  readonly udp: string;
  readonly nameOk: boolean;
  readonly slaveNameOk: boolean;
  readonly srvSlaveOk: boolean;
  readonly srvOk: boolean;
  /** Set once a warning was given for this label, so an app's instances warn once. */
  warned: boolean;
}

/** The task being processed; one object reused for every task. */
interface TaskInfo {
  task: MesosTask;
  framework: string;
  /** `.F.D.` and `.F.slave.D.` */
  frameworkTail: string;
  slaveTail: string;
  /** `-H-S`: hash and agent tail, appended to the task label to make the canonical label. */
  suffix: string;
  ips: readonly IpValue[];
  agentIps: readonly IpValue[];
  /** Newly added records are appended here as `type, name, value`; undefined when enumeration is off. */
  log: EnumerationLog | undefined;
}

/**
 * Emits the records of every counted task (SPEC 4.4), frameworks and tasks in document order,
 * and returns the enumeration (SPEC 5.12; empty when `EnumerationOn` is false: nothing serves
 * it then, and it is the largest structure for big clusters).
 */
export function taskRecords(
  ctx: GenerateContext,
  state: MesosState,
  agentIps: ReadonlyMap<string, readonly IpValue[]>,
): EnumerationFramework[] {
  const log: EnumerationLog | undefined = ctx.config.EnumerationOn ? [] : undefined;
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
  };
  for (const framework of state.frameworks) {
    const tasks: EnumerationTask[] = [];
    if (log) frameworks.push({ name: framework.name, tasks });
    const fragment = ctx.frag(framework.name);
    info.framework = framework.name;
    info.frameworkTail = `.${fragment}${ctx.tail}`;
    info.slaveTail = `.${fragment}.slave${ctx.tail}`;
    const names = new Map<string, PassNames>();
    // Improvement (SPEC 10 #24): a framework name that sanitises to nothing gave names with an
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
        // Upstream's "legacy" pass with the raw DiscoveryInfo name comes first (SPEC 5.8). It is
        // kept only for raw names that are valid DNS (SPEC 10 #23), and skipped when it would
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
 * The last `-` piece of the agent id, lower-cased. Upstream used it unsanitised (SPEC 10 #22);
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

/**
 * The shared names of label `t` in the current framework, memoised. Improvement (SPEC 10 #22,
 * #24): names with an empty label, a label over 63 octets or over 253 octets are marked
 * invalid and skipped. The framework tail is known valid, so `t`'s labels and lengths decide.
 */
function passNames(info: TaskInfo, memo: Map<string, PassNames>, t: string): PassNames {
  const known = memo.get(t);
  if (known) return known;
  const extents = labelExtents(t);
  const { frameworkTail, slaveTail } = info;
  // A name's length without its final dot is prefix + t + tail - 1, at most 253.
  const room = 254 - t.length;
  const srvLabelOk = extents !== undefined && extents.first + 1 <= 63;
  const names: PassNames = {
    t,
    valid: extents !== undefined,
    lastLabel: extents?.last ?? 0,
    name: t + frameworkTail,
    slaveName: t + slaveTail,
    // `_t._tcp` and `_t._udp` add 6 octets.
    tcpSlave: `_${t}._tcp${slaveTail}`,
    udpSlave: `_${t}._udp${slaveTail}`,
    tcp: `_${t}._tcp${frameworkTail}`,
    udp: `_${t}._udp${frameworkTail}`,
    nameOk: frameworkTail.length <= room,
    slaveNameOk: slaveTail.length <= room,
    srvSlaveOk: srvLabelOk && 6 + slaveTail.length <= room,
    srvOk: srvLabelOk && 6 + frameworkTail.length <= room,
    warned: false,
  };
  memo.set(t, names);
  return names;
}

function warn(ctx: GenerateContext, info: TaskInfo, names: PassNames, problem: string): void {
  if (names.warned) return;
  names.warned = true;
  const where = `framework ${JSON.stringify(info.framework)} task ${JSON.stringify(info.task.name)}`;
  ctx.warnings.push(`${where}: ${problem} (reported once per name)`);
}

/** Inserts into a slot, logging the record for the enumeration when it is new. */
function add(
  ctx: GenerateContext,
  log: EnumerationLog | undefined,
  type: RecordType,
  owner: string,
  slot: string[],
  value: string,
) {
  if (ctx.builder.push(slot, value) && log) log.push(type, owner, value);
}

/** One pass of SPEC 5.8's table for one task label, in upstream's emission order. */
function taskPass(ctx: GenerateContext, info: TaskInfo, names: PassNames): void {
  const t = names.t;
  if (!names.valid) {
    warn(ctx, info, names, `name ${JSON.stringify(t)} has no valid DNS label; task records skipped`);
    return;
  }
  const { frameworkTail, slaveTail, suffix, log } = info;
  const store = ctx.builder;
  const room = 254 - t.length;
  const canonicalLabelOk = names.lastLabel + suffix.length <= 63;
  const canonicalOk = canonicalLabelOk && suffix.length + frameworkTail.length <= room;
  const canonicalSlaveOk = canonicalLabelOk && suffix.length + slaveTail.length <= room;
  if (
    !(names.nameOk && names.slaveNameOk && canonicalOk && canonicalSlaveOk && names.srvSlaveOk && names.srvOk)
  ) {
    warn(ctx, info, names, `names for ${JSON.stringify(t)} over DNS length limits skipped`);
  }

  const canonical = t + suffix;
  const canonicalName = canonical + frameworkTail;
  const canonicalSlaveName = canonical + slaveTail;
  for (const ip of info.ips) {
    if (names.nameOk) add(ctx, log, ip.type, names.name, store.slot(ip.type, names.name), ip.text);
    if (canonicalOk) add(ctx, log, ip.type, canonicalName, store.slot(ip.type, canonicalName), ip.text);
  }
  for (const ip of info.agentIps) {
    if (names.slaveNameOk)
      add(ctx, log, ip.type, names.slaveName, store.slot(ip.type, names.slaveName), ip.text);
    if (canonicalSlaveOk) {
      add(ctx, log, ip.type, canonicalSlaveName, store.slot(ip.type, canonicalSlaveName), ip.text);
    }
  }

  const discovery = info.task.discovery;
  const ports = info.task.ports;
  if (ports.length > 0 && canonicalSlaveOk && names.srvSlaveOk) {
    const tcpSlaveSlot = store.slot("SRV", names.tcpSlave);
    const udpSlaveSlot = store.slot("SRV", names.udpSlave);
    // Without DiscoveryInfo the host ports are also published under `_t._tcp.F.D.` and `_udp`.
    const plain = !discovery && names.srvOk;
    const tcpSlot = plain ? store.slot("SRV", names.tcp) : undefined;
    const udpSlot = plain ? store.slot("SRV", names.udp) : undefined;
    const targetPrefix = `${canonicalSlaveName}:`;
    for (const port of ports) {
      const target = targetPrefix + port;
      add(ctx, log, "SRV", names.tcpSlave, tcpSlaveSlot, target);
      add(ctx, log, "SRV", names.udpSlave, udpSlaveSlot, target);
      if (tcpSlot && udpSlot) {
        add(ctx, log, "SRV", names.tcp, tcpSlot, target);
        add(ctx, log, "SRV", names.udp, udpSlot, target);
      }
    }
  }

  if (discovery && canonicalOk) {
    for (const port of discovery.ports) {
      // Improvement (SPEC 10 #41): upstream wrapped such numbers to 16 bits; parseState warned.
      if (!(port.number >= 0 && port.number <= 65535)) continue;
      const target = `${canonicalName}:${port.number}`;
      const protocol = ctx.label(port.protocol);
      const owners = protocol === "" ? [`_${t}._tcp`, `_${t}._udp`] : [`_${t}._${protocol}`];
      const portName = ctx.label(port.name);
      const prefixes = portName === "" ? [""] : ["", `_${portName}.`];
      // Protocol and port-name labels come from the state, so these names are checked in full.
      for (const prefix of prefixes) {
        for (const owner of owners) {
          const full = prefix + owner + frameworkTail;
          const problem = nameProblem(full);
          if (problem === undefined) add(ctx, log, "SRV", full, store.slot("SRV", full), target);
          else warn(ctx, info, names, `name ${JSON.stringify(full)} skipped: ${problem}`);
        }
      }
    }
  }
}
