/**
 * The `/v1/config` document (docs/spec.md §8.2): upstream's settings only, in upstream's key order
 * (`UPSTREAM_NAMES`, from the key table in `config/config.ts`).
 *
 * @module
 */

import { type Config, UPSTREAM_NAMES } from "../config/config.ts";
import { MASKED_SECRET, redactZk } from "../config/zk-url.ts";

/** Shown instead of a non-empty Basic-auth secret (upstream shows it in clear, docs/spec.md §10 #20). */
export { MASKED_SECRET };

/**
 * The object `/v1/config` serialises. Lists and maps are copies; `ZoneResolvers` keys are sorted
 * as Go marshals maps; an unset list is `null`. The Basic-auth secret and the password in `Zk`
 * are masked (upstream showed both in clear, docs/spec.md §10 #20).
 */
export function configView(config: Config): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const key of UPSTREAM_NAMES) {
    const value = config[key];
    view[key] = Array.isArray(value) ? [...value] : value;
  }
  // No prototype: a zone named `__proto__` must stay a key.
  const zones = Object.create(null) as Record<string, string[]>;
  for (const zone of Object.keys(config.ZoneResolvers).sort()) zones[zone] = [...config.ZoneResolvers[zone]!];
  view["ZoneResolvers"] = zones;
  view["Zk"] = redactZk(config.Zk);
  view["MesosCredentials"] = {
    Principal: config.MesosCredentials.Principal,
    Secret: config.MesosCredentials.Secret === "" ? "" : MASKED_SECRET,
  };
  return view;
}
