/**
 * One task's records for one label `t` (docs/spec.md §5.8): the names an app's instances share
 * (built and checked once per framework, so the same string objects hit the record maps
 * with their hash already computed) and the pass that emits A, AAAA and SRV records.
 *
 * This runs once per task per refresh (100k tasks in the benchmark). Each part is its own
 * function, kept small: the optimising compiler's time grows with function size, and as
 * one function it spent more CPU on this code than generation itself for 100k tasks.
 *
 * @module
 */

import type { Discovery, MesosTask } from "../mesos/state-model.ts";
import { labelExtents, nameProblem } from "./_dns-name.ts";
import type { EnumerationLog, SrvBlock } from "./_enumeration-task.ts";
import type { GenerateContext } from "./_generate-context.ts";
import type { RecordStore } from "./_record-store.ts";
import type { RecordType } from "./record-set.ts";
import type { IpValue } from "./task-ips.ts";

/** The names one task label `t` gives in one framework, and which of them are valid DNS. */
export interface PassNames {
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
  /** Enumeration blocks for host-port SRVs under `tcpSlave, udpSlave` and under all four names. */
  readonly slaveBlock: SrvBlock;
  readonly plainBlock: SrvBlock;
  /** Set once a warning was given for this label, so an app's instances warn once. */
  warned: boolean;
  /**
   * The value lists of the names above, fetched on first use (a list stays the same object
   * once {@link RecordStore.slot} returned it): each instance of an app would otherwise look
   * up the same six names again.
   */
  slots: Record<SlotKey, string[] | undefined>;
}

type SlotKey = "nameA" | "nameAAAA" | "slaveA" | "slaveAAAA" | "tcpSlave" | "udpSlave" | "tcp" | "udp";

/** The value list of one of a {@link PassNames}' names, from its `slots` or fetched once. */
function list(
  store: RecordStore,
  slots: PassNames["slots"],
  key: SlotKey,
  type: RecordType,
  name: string,
): string[] {
  let values = slots[key];
  if (values === undefined) {
    values = store.slot(type, name);
    slots[key] = values;
  }
  return values;
}

/** `:port`, made once per port and generation (a number-to-text conversion per record otherwise). */
function portSuffix(suffixes: string[], port: number): string {
  let suffix = suffixes[port];
  if (suffix === undefined) {
    suffix = `:${port}`;
    suffixes[port] = suffix;
  }
  return suffix;
}

/** The task being processed; one object reused for every task. */
export interface TaskInfo {
  task: MesosTask;
  framework: string;
  /** `.F.D.` and `.F.slave.D.` */
  frameworkTail: string;
  slaveTail: string;
  /** `-H-S`: hash and agent tail, appended to the task label to make the canonical label. */
  suffix: string;
  ips: readonly IpValue[];
  agentIps: readonly IpValue[];
  /** Newly added records are logged here; undefined when enumeration is off. */
  log: EnumerationLog | undefined;
  /** `:port` texts by port, made once per generation. */
  portSuffixes: string[];
}

/**
 * The shared names of label `t` in the current framework, memoised. Improvement (docs/spec.md §10 #22,
 * #24): names with an empty label, a label over 63 octets or over 253 octets are marked
 * invalid and skipped. The framework tail is known valid, so `t`'s labels and lengths decide.
 */
export function passNames(info: TaskInfo, memo: Map<string, PassNames>, t: string): PassNames {
  const known = memo.get(t);
  if (known) return known;
  const extents = labelExtents(t);
  const { frameworkTail, slaveTail } = info;
  // A name's length without its final dot is prefix + t + tail - 1, at most 253.
  const room = 254 - t.length;
  const srvLabelOk = extents !== undefined && extents.first + 1 <= 63;
  // `_t._tcp` and `_t._udp` add 6 octets.
  const tcpSlave = `_${t}._tcp${slaveTail}`;
  const udpSlave = `_${t}._udp${slaveTail}`;
  const tcp = `_${t}._tcp${frameworkTail}`;
  const udp = `_${t}._udp${frameworkTail}`;
  const names: PassNames = {
    t,
    valid: extents !== undefined,
    lastLabel: extents?.last ?? 0,
    name: t + frameworkTail,
    slaveName: t + slaveTail,
    tcpSlave,
    udpSlave,
    tcp,
    udp,
    nameOk: frameworkTail.length <= room,
    slaveNameOk: slaveTail.length <= room,
    srvSlaveOk: srvLabelOk && 6 + slaveTail.length <= room,
    srvOk: srvLabelOk && 6 + frameworkTail.length <= room,
    slaveBlock: { owners: [tcpSlave, udpSlave] },
    plainBlock: { owners: [tcpSlave, udpSlave, tcp, udp] },
    warned: false,
    // Every key present from the start: objects that gained keys in different orders have
    // different shapes, and the optimised code reading them bailed out again and again.
    slots: {
      nameA: undefined,
      nameAAAA: undefined,
      slaveA: undefined,
      slaveAAAA: undefined,
      tcpSlave: undefined,
      udpSlave: undefined,
      tcp: undefined,
      udp: undefined,
    },
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
  if (ctx.builder.push(slot, value) && log) log.add(type, owner, value);
}

/** True when `ports` has no duplicates because it is strictly increasing (the usual case). */
function isIncreasing(ports: readonly number[]): boolean {
  for (let i = 1; i < ports.length; i++) if (ports[i]! <= ports[i - 1]!) return false;
  return true;
}

/**
 * One pass of docs/spec.md §5.8's table for one task label, in upstream's emission order. Split in
 * parts so that each is optimised on its own: as one function, the optimising compiler spent
 * more time on it than generation itself for 100k tasks.
 */
export function taskPass(ctx: GenerateContext, info: TaskInfo, names: PassNames): void {
  const t = names.t;
  if (!names.valid) {
    warn(ctx, info, names, `name ${JSON.stringify(t)} has no valid DNS label; task records skipped`);
    return;
  }
  const { frameworkTail, slaveTail, suffix } = info;
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
  const canonicalName = canonicalOk ? canonical + frameworkTail : "";
  const canonicalSlaveName = canonicalSlaveOk ? canonical + slaveTail : "";
  ctx.builder.created = "";
  const slots = names.slots;
  ipRecords(ctx, info, info.ips, slots, names.nameOk ? names.name : "", "nameA", "nameAAAA", canonicalName);
  ipRecords(
    ctx,
    info,
    info.agentIps,
    slots,
    names.slaveNameOk ? names.slaveName : "",
    "slaveA",
    "slaveAAAA",
    canonicalSlaveName,
  );
  const discovery = info.task.discovery;
  if (info.task.ports.length > 0 && canonicalSlaveName !== "" && names.srvSlaveOk) {
    hostPortRecords(ctx, info, names, canonicalSlaveName);
  }
  if (discovery && canonicalName !== "") discoveryRecords(ctx, info, names, discovery, canonicalName);
}

/**
 * A and AAAA records of `ips` under a shared name (`t.F.D.` or `t.F.slave.D.`, "" when over
 * the length limits, its lists in `slots` under `keyA`/`keyAAAA`) and under a canonical name
 * ("" likewise). Called once for the task IPs and once for the agent IPs.
 */
function ipRecords(
  ctx: GenerateContext,
  info: TaskInfo,
  ips: readonly IpValue[],
  slots: PassNames["slots"],
  name: string,
  keyA: "nameA" | "slaveA",
  keyAAAA: "nameAAAA" | "slaveAAAA",
  canonicalName: string,
): void {
  const store = ctx.builder;
  const log = info.log;
  // The agent's IPs (also the task's when they come from the `host` source) can share
  // their lists between canonical names (see insertShared).
  const share = ips === info.agentIps;
  for (let i = 0; i < ips.length; i++) {
    const { type, text } = ips[i]!;
    if (name !== "") {
      const slot =
        type === "A" ? list(store, slots, keyA, "A", name) : list(store, slots, keyAAAA, "AAAA", name);
      add(ctx, log, type, name, slot, text);
    }
    if (canonicalName !== "") {
      const inserted = share
        ? store.insertShared(type, canonicalName, text)
        : store.insert(type, canonicalName, text);
      if (inserted && log) log.add(type, canonicalName, text);
    }
  }
}

/** Host-port SRVs: under `_t._tcp.F.slave.D.` and `_udp`, and without DiscoveryInfo also under `_t._tcp.F.D.`. */
function hostPortRecords(
  ctx: GenerateContext,
  info: TaskInfo,
  names: PassNames,
  canonicalSlaveName: string,
): void {
  const store = ctx.builder;
  const log = info.log;
  const ports = info.task.ports;
  const slots = names.slots;
  const tcpSlaveSlot = list(store, slots, "tcpSlave", "SRV", names.tcpSlave);
  const udpSlaveSlot = list(store, slots, "udpSlave", "SRV", names.udpSlave);
  // Without DiscoveryInfo the host ports are also published under `_t._tcp.F.D.` and `_udp`.
  const plain = !info.task.discovery && names.srvOk;
  const lists = plain
    ? [
        tcpSlaveSlot,
        udpSlaveSlot,
        list(store, slots, "tcp", "SRV", names.tcp),
        list(store, slots, "udp", "SRV", names.udp),
      ]
    : [tcpSlaveSlot, udpSlaveSlot];
  const fresh = store.isFreshTarget(canonicalSlaveName);
  if (!fresh) store.claimTarget(canonicalSlaveName);
  if (!fresh || !isIncreasing(ports)) {
    checkedHostPorts(ctx, info, names, canonicalSlaveName, lists);
    return;
  }
  // A new target and distinct ports: every value is new in every list.
  const block = plain ? names.plainBlock : names.slaveBlock;
  const suffixes = info.portSuffixes;
  for (const port of ports) {
    const target = canonicalSlaveName + portSuffix(suffixes, port);
    for (let i = 0; i < lists.length; i++) store.append(lists[i]!, target);
    if (log) log.addBlock(block, target);
  }
}

/** {@link hostPortRecords} for a target that may be in the lists already (rare; kept apart from the hot path). */
function checkedHostPorts(
  ctx: GenerateContext,
  info: TaskInfo,
  names: PassNames,
  canonicalSlaveName: string,
  slots: string[][],
): void {
  const owners = slots.length === 4 ? names.plainBlock.owners : names.slaveBlock.owners;
  for (const port of info.task.ports) {
    const target = canonicalSlaveName + portSuffix(info.portSuffixes, port);
    for (let i = 0; i < slots.length; i++) add(ctx, info.log, "SRV", owners[i]!, slots[i]!, target);
  }
}

/** DiscoveryInfo SRVs: `[_port.]_t._protocol.F.D.` for each port. */
function discoveryRecords(
  ctx: GenerateContext,
  info: TaskInfo,
  names: PassNames,
  discovery: Discovery,
  canonicalName: string,
): void {
  const store = ctx.builder;
  const t = names.t;
  if (discovery.ports.length > 0) store.claimTarget(canonicalName);
  for (const port of discovery.ports) {
    // Improvement (docs/spec.md §10 #41): upstream wrapped such numbers to 16 bits; parseState warned.
    if (!(port.number >= 0 && port.number <= 65535)) continue;
    const target = `${canonicalName}:${port.number}`;
    const protocol = ctx.label(port.protocol);
    const owners = protocol === "" ? [`_${t}._tcp`, `_${t}._udp`] : [`_${t}._${protocol}`];
    const portName = ctx.label(port.name);
    const prefixes = portName === "" ? [""] : ["", `_${portName}.`];
    // Protocol and port-name labels come from the state, so these names are checked in full.
    for (const prefix of prefixes) {
      for (const owner of owners) {
        const full = prefix + owner + info.frameworkTail;
        const problem = nameProblem(full);
        if (problem === undefined) add(ctx, info.log, "SRV", full, store.slot("SRV", full), target);
        else warn(ctx, info, names, `name ${JSON.stringify(full)} skipped: ${problem}`);
      }
    }
  }
}
