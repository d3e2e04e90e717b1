import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { type Config, defaultConfig } from "../../../src/core/config/config.ts";
import { parseStateText } from "../../../src/core/mesos/state.ts";
import type { MesosState, MesosTask } from "../../../src/core/mesos/state-model.ts";
import { LiveRecords } from "../../../src/core/records/live-records.ts";
import type { RecordSet } from "../../../src/core/records/record-set.ts";
import { generateRecords } from "../../../src/core/records/records.ts";
import {
  type TaskUnitInput,
  UnitGenerator,
  type UnitRecords,
} from "../../../src/core/records/unit-records.ts";

const config: Config = { ...defaultConfig(), Listener: "127.0.0.1" };
const masters = ["127.0.0.1:5050"];

function fixtureState(): MesosState {
  const text = readFileSync(new URL("../../fixtures/fake-state.json", import.meta.url), "utf8");
  const parsed = parseStateText(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return { ...parsed.state, leader: "master@127.0.0.1:5050" };
}

/** The task units of a state: tasks grouped by framework and id, as the event view keys them. */
function taskUnits(state: MesosState): TaskUnitInput[] {
  const agents = new Map(state.slaves.map((a) => [a.id, a]));
  const units: TaskUnitInput[] = [];
  state.frameworks.forEach((framework) => {
    const byId = new Map<string, MesosTask[]>();
    for (const task of framework.tasks) byId.set(task.id, [...(byId.get(task.id) ?? []), task]);
    for (const tasks of byId.values()) {
      units.push({ framework: framework.name, tasks, agents: tasks.map((t) => agents.get(t.slaveId)) });
    }
  });
  return units;
}

function baseUnit(generator: UnitGenerator, state: MesosState): UnitRecords {
  return generator.base({
    frameworks: state.frameworks,
    agents: state.slaves,
    leader: state.leader,
    masters,
    localAddresses: [],
  });
}

/** Every record as `type name value`, sorted: order inside a name does not matter to DNS. */
function flat(records: UnitRecords): string[] {
  const out: string[] = [];
  for (const [type, map] of [
    ["A", records.a],
    ["AAAA", records.aaaa],
    ["SRV", records.srv],
  ] as const) {
    for (const [name, values] of map) for (const v of values) out.push(`${type} ${name} ${v}`);
  }
  return out.sort();
}

function full(state: MesosState): RecordSet {
  return generateRecords({ state, config, masters, resolved: new Map(), localAddresses: [] });
}

describe("LiveRecords", () => {
  test("the union of every unit's records equals the whole-state generation", () => {
    const state = fixtureState();
    const generator = new UnitGenerator(config, new Map());
    const live = new LiveRecords();
    live.add(baseUnit(generator, state));
    for (const unit of taskUnits(state)) live.add(generator.task(unit));
    expect(flat(live.view(() => ({ frameworks: [] })))).toEqual(flat(full(state)));
    expect(live.drift).toBe(0);
  });

  test("taking a unit out removes only the values no other unit gives", () => {
    const state = fixtureState();
    const generator = new UnitGenerator(config, new Map());
    const live = new LiveRecords();
    const units = taskUnits(state);
    live.add(baseUnit(generator, state));
    for (const unit of units) live.add(generator.task(unit));
    // Drop the tasks one by one and compare with a whole generation of what is left.
    for (let i = 0; i < units.length; i++) {
      live.remove(generator.task(units[i]));
      const left = new Set(units.slice(i + 1).flatMap((u) => u.tasks));
      const rest: MesosState = {
        ...state,
        frameworks: state.frameworks.map((f) => ({ ...f, tasks: f.tasks.filter((t) => left.has(t)) })),
      };
      expect(flat(live.view(() => ({ frameworks: [] })))).toEqual(flat(full(rest)));
    }
    live.remove(baseUnit(generator, state));
    expect(flat(live.view(() => ({ frameworks: [] })))).toEqual([]);
    expect(live.drift).toBe(0);
  });

  test("ancestors are kept as names come and go", () => {
    const state = fixtureState();
    const generator = new UnitGenerator(config, new Map());
    const live = new LiveRecords();
    const view = live.view(() => ({ frameworks: [] }));
    live.add(baseUnit(generator, state));
    expect(view.ancestors?.has("mesos.")).toBe(true);
    expect(view.ancestors?.has("marathon.slave.mesos.")).toBe(false);
    const units = taskUnits(state);
    for (const unit of units) live.add(generator.task(unit));
    expect(view.ancestors?.has("marathon.slave.mesos.")).toBe(true);
    expect(view.ancestors?.has("_tcp.marathon.mesos.")).toBe(true);
    for (const unit of units) live.remove(generator.task(unit));
    expect(view.ancestors?.has("marathon.slave.mesos.")).toBe(false);
    expect(view.ancestors?.has("mesos.")).toBe(true);
  });

  test("removing records that were never added is counted as drift, not thrown", () => {
    const live = new LiveRecords();
    live.remove({ a: new Map([["x.mesos.", ["1.2.3.4"]]]), aaaa: new Map(), srv: new Map() });
    expect(live.drift).toBe(1);
  });
});
