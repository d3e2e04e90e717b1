/**
 * The records that do not come from tasks: frameworks (docs/spec.md §5.4), agents (5.5), this server
 * (5.6) and the leader and masters (5.7).
 *
 * @module
 */

import type { MesosState } from "../mesos/state-model.ts";
import { splitHostPort } from "../net/ip.ts";
import { nameProblem } from "./_dns-name.ts";
import type { GenerateContext } from "./_generate-context.ts";
import type { IpValue } from "./task-ips.ts";

/** `F.D.` A/AAAA and `_framework._tcp.F.D.` SRV for each framework whose scheduler host has IPs. */
export function frameworkRecords(ctx: GenerateContext, state: MesosState): void {
  for (const framework of state.frameworks) {
    const host = framework.pid ? framework.pid.host : framework.hostname;
    if (host === "") continue;
    const ips = ctx.hostIps(host);
    if (ips.length === 0) {
      ctx.warnings.push(
        `framework ${JSON.stringify(framework.name)}: host "${host}" has no IP; scheduler records skipped`,
      );
      continue;
    }
    const owner = ctx.frag(framework.name) + ctx.tail;
    // Improvement (docs/spec.md §10 #24): upstream stores `.D.` for a name that sanitises to nothing.
    const problem = nameProblem(owner);
    if (problem) {
      ctx.warnings.push(`framework ${JSON.stringify(framework.name)}: name "${owner}" skipped: ${problem}`);
      continue;
    }
    for (const ip of ips) ctx.insert(ip.type, owner, ip.text);
    if (framework.pid) ctx.insert("SRV", `_framework._tcp.${owner}`, `${owner}:${framework.pid.port}`);
  }
}

/**
 * `slave.D.` A/AAAA and `_slave._tcp.D.` SRV (one per distinct port, docs/spec.md §10 #25, kept).
 * Returns each agent's IPs by id, a later duplicate id replacing an earlier one as upstream.
 * An agent whose host has no IP keeps an empty list: its tasks still count but get no
 * `.slave` records (upstream stored the sanitised host text as a bogus A value, docs/spec.md §4.7).
 */
export function agentRecords(ctx: GenerateContext, state: MesosState): Map<string, readonly IpValue[]> {
  const byId = new Map<string, readonly IpValue[]>();
  const owner = `slave${ctx.tail}`;
  for (const agent of state.slaves) {
    const ips = ctx.hostIps(agent.pid.host);
    byId.set(agent.id, ips);
    if (ips.length === 0) {
      ctx.warnings.push(
        `agent ${JSON.stringify(agent.id)}: host "${agent.pid.host}" has no IP; agent records skipped`,
      );
      continue;
    }
    for (const ip of ips) ctx.insert(ip.type, owner, ip.text);
    ctx.insert("SRV", `_slave._tcp${ctx.tail}`, `${owner}:${agent.pid.port}`);
  }
  return byId;
}

/**
 * A/AAAA records for `SOAMname` from the `Listener` setting (docs/spec.md §5.6). The owner is
 * lower-cased (upstream stored it as written, unreachable when it had upper case). A
 * listener that is not an IP literal is looked up in `resolved` instead of crashing (docs/spec.md §10 #17).
 */
export function selfRecords(ctx: GenerateContext, localAddresses: readonly string[]): void {
  const mname = ctx.config.SOAMname.toLowerCase();
  const owner = mname.endsWith(".") ? mname : `${mname}.`;
  const listener = ctx.config.Listener;
  const problem = nameProblem(owner);
  if (problem) {
    ctx.warnings.push(`SOAMname "${ctx.config.SOAMname}" skipped: ${problem}`);
    return;
  }
  let ips: readonly IpValue[];
  if (listener === "0.0.0.0") {
    const local: IpValue[] = [];
    for (const text of localAddresses) {
      const ip = ctx.classify(text);
      if (ip && !isLoopback(ip)) local.push(ip);
    }
    ips = local;
  } else {
    ips = ctx.hostIps(listener);
    if (ips.length === 0) ctx.warnings.push(`listener "${listener}" has no IP; no records for "${owner}"`);
  }
  for (const ip of ips) ctx.insert(ip.type, owner, ip.text);
}

function isLoopback(ip: IpValue): boolean {
  return ip.type === "A" ? ip.text.startsWith("127.") : ip.text === "::1";
}

/**
 * `leader.D.`, `master.D.`, `master<N>.D.` and the `_leader` SRVs (docs/spec.md §5.7), with upstream's
 * numbering. IPs are stored in canonical form (upstream: as written). Hostnames are looked up
 * in `resolved` (upstream crashes, docs/spec.md §10 #17); an unresolved one is skipped with a warning.
 */
export function leaderRecords(ctx: GenerateContext, leader: string, masters: readonly string[]): void {
  const parts = leader.split("@");
  if (parts.length < 2) {
    if (leader !== "") ctx.warnings.push(`leader "${leader}" is not name@host:port; no leader records`);
    return;
  }
  const leaderAddress = parts[1]!;
  const split = splitHostPort(leaderAddress);
  if (!split) {
    ctx.warnings.push(`leader "${leader}" has no host:port; no leader records`);
    return;
  }
  const leaderIps = ctx.hostIps(split.host);
  const leaderOwner = `leader${ctx.tail}`;
  const masterOwner = `master${ctx.tail}`;
  if (leaderIps.length === 0) {
    ctx.warnings.push(`leader host "${split.host}" has no IP; no leader records`);
  } else {
    for (const ip of leaderIps) {
      ctx.insert(ip.type, leaderOwner, ip.text);
      ctx.insert(ip.type, masterOwner, ip.text);
    }
    // A non-numeric port would make an unusable SRV value (upstream stored it anyway).
    if (/^[0-9]{1,5}$/.test(split.port) && Number(split.port) <= 65535) {
      ctx.insert("SRV", `_leader._tcp${ctx.tail}`, `${leaderOwner}:${Number(split.port)}`);
      ctx.insert("SRV", `_leader._udp${ctx.tail}`, `${leaderOwner}:${Number(split.port)}`);
    } else {
      ctx.warnings.push(`leader "${leader}" has a bad port; no _leader SRV records`);
    }
  }

  let index = 0;
  let leaderNumbered = false;
  for (const master of masters) {
    const hostPort = splitHostPort(master);
    if (!hostPort) continue; // "" stands for an unknown leader (docs/spec.md §3.1)
    const ips = ctx.hostIps(hostPort.host);
    if (ips.length === 0) {
      ctx.warnings.push(`master "${master}": host "${hostPort.host}" has no IP; skipped`);
      continue;
    }
    const isLeader = master === leaderAddress;
    if (!isLeader) {
      let added = false;
      for (const ip of ips) if (ctx.insert(ip.type, masterOwner, ip.text)) added = true;
      if (!added) continue; // a duplicate master
    } else if (leaderNumbered) {
      continue;
    }
    for (const ip of ips) ctx.insert(ip.type, `master${index}${ctx.tail}`, ip.text);
    index++;
    if (isLeader) leaderNumbered = true;
  }
  if (!leaderNumbered) {
    for (const ip of leaderIps) ctx.insert(ip.type, `master${index}${ctx.tail}`, ip.text);
  }
}
