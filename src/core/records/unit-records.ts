/**
 * Record generation split into units, for incremental updates (docs/architecture.md): the
 * records of one task key (one task, or the tasks a document lists twice under one id) and
 * the records of everything that is not a task (frameworks, agents, this server, leader and
 * masters). Generation is a set union (docs/spec.md §5.1, 5.10), so the union of every unit's records
 * is exactly what {@link generateRecords} makes for the whole state; only the enumeration
 * (which lists records "newly added" in document order) cannot be split, and is built from
 * the whole state when asked for.
 *
 * @module
 */

import type { Config } from "../config/config.ts";
import type { MesosAgent, MesosFramework, MesosState, MesosTask } from "../mesos/state-model.ts";
import { createContext } from "./_generate-context.ts";
import { agentRecords, frameworkRecords, leaderRecords, selfRecords } from "./_master-records.ts";
import { RecordStore } from "./_record-store.ts";
import type { RecordSet } from "./record-set.ts";
import { taskRecords } from "./records.ts";
import type { IpValue } from "./task-ips.ts";

/** The records one unit contributes, name to values per type. */
export type UnitRecords = Pick<RecordSet, "a" | "aaaa" | "srv">;

/** What one task key's records depend on; the same input always gives the same records. */
export interface TaskUnitInput {
  /** The framework's name; undefined while the framework is unknown (no records then). */
  readonly framework: string | undefined;
  readonly tasks: readonly MesosTask[];
  /** The agent of each task, same order; undefined when unknown (no records for that task). */
  readonly agents: readonly (MesosAgent | undefined)[];
}

/** What the non-task records depend on. */
export interface BaseUnitInput {
  readonly frameworks: readonly MesosFramework[];
  readonly agents: readonly MesosAgent[];
  readonly leader: string;
  readonly masters: readonly string[];
  readonly localAddresses: readonly string[];
}

const NONE: UnitRecords = { a: new Map(), aaaa: new Map(), srv: new Map() };

/** Generates units for one configuration and one set of host look-ups. */
export class UnitGenerator {
  readonly #config: Config;
  readonly resolved: ReadonlyMap<string, readonly string[]>;
  /** `:port` texts shared by every unit (see `taskRecords`). */
  readonly #portSuffixes = new Array<string>(65536);

  constructor(config: Config, resolved: ReadonlyMap<string, readonly string[]>) {
    // The enumeration is never built per unit.
    this.#config = config.EnumerationOn ? { ...config, EnumerationOn: false } : config;
    this.resolved = resolved;
  }

  /** The records of one task key; warnings are not kept (the full generation of a poll reports them). */
  task(input: TaskUnitInput | undefined): UnitRecords {
    if (input === undefined || input.framework === undefined || input.tasks.length === 0) return NONE;
    const store = new RecordStore();
    const ctx = createContext(store, this.#config, this.resolved);
    const agentIps = new Map<string, readonly IpValue[]>();
    input.tasks.forEach((task, i) => {
      const agent = input.agents[i];
      // A later duplicate agent id replaces an earlier one, as in the whole-state generation.
      if (agent !== undefined) agentIps.set(task.slaveId, ctx.hostIps(agent.pid.host));
    });
    if (agentIps.size === 0) return NONE;
    const framework: MesosFramework = {
      id: "",
      name: input.framework,
      pid: undefined,
      hostname: "",
      tasks: input.tasks,
    };
    const state: MesosState = { leader: "", frameworks: [framework], slaves: [] };
    taskRecords(ctx, state, agentIps, this.#portSuffixes);
    return store.build({ frameworks: [] }, ctx.warnings);
  }

  /** Framework, agent, self, leader and master records (docs/spec.md §5.4 to 5.7). */
  base(input: BaseUnitInput): UnitRecords {
    const store = new RecordStore();
    const ctx = createContext(store, this.#config, this.resolved);
    const state: MesosState = { leader: input.leader, frameworks: input.frameworks, slaves: input.agents };
    frameworkRecords(ctx, state);
    agentRecords(ctx, state);
    selfRecords(ctx, input.localAddresses);
    leaderRecords(ctx, input.leader, input.masters);
    return store.build({ frameworks: [] }, ctx.warnings);
  }
}
