/**
 * `mesos-dns records`: prints the records a state file produces, as a zone file or as the
 * `/v1/axfr` JSON, without starting any server. Useful to check a state capture or a
 * configuration change offline.
 *
 * @module
 */

import type { Config } from "../core/config/config.ts";
import { errorMessage } from "../core/log/log-text.ts";
import { hostnamesToResolve, parseStateText } from "../core/mesos/state.ts";
import type { Platform } from "../core/platform.ts";
import { generateRecords } from "../core/records/records.ts";
import { axfrJson, zoneText } from "../core/records/zone-text.ts";

export interface RecordsCommandOptions {
  /** Path of a Mesos master state document (`/master/state` output). */
  readonly statePath: string;
  readonly config: Config;
  readonly format: "zone" | "json";
}

export interface RecordsCommandIo {
  readonly platform: Platform;
  stdout(text: string): void;
  stderr(line: string): void;
}

/** Per-host lookup timeout; a slow resolver costs a warning, not a hang. */
const LOOKUP_TIMEOUT_MS = 2000;

/**
 * Reads the state file, resolves its hostnames with the system resolver, generates the
 * records and prints them. Warnings go to stderr. Returns the exit code: 0, or 1 with one
 * line on stderr when the file cannot be read or is not a JSON object.
 */
export async function runRecordsCommand(
  options: RecordsCommandOptions,
  io: RecordsCommandIo,
): Promise<number> {
  const { statePath, config } = options;
  let text: string;
  try {
    text = await io.platform.readTextFile(statePath);
  } catch (error) {
    io.stderr(`Cannot read state file "${statePath}": ${errorMessage(error)}`);
    return 1;
  }
  const parsed = parseStateText(text);
  if (!parsed.ok) {
    io.stderr(`Cannot parse state file "${statePath}": ${parsed.error}`);
    return 1;
  }
  const masters = config.Masters ?? [];
  const hosts = hostnamesToResolve(parsed.state, { masters, listener: config.Listener });
  const resolved = new Map<string, readonly string[]>();
  const warnings = parsed.warnings.map((warning) => `${statePath}: ${warning}`);
  await Promise.all(
    hosts.map(async (host) => {
      try {
        resolved.set(host, await io.platform.lookupHost(host, LOOKUP_TIMEOUT_MS));
      } catch (error) {
        warnings.push(`Cannot resolve "${host}": ${errorMessage(error)}`);
      }
    }),
  );
  const localAddresses = config.Listener === "0.0.0.0" ? io.platform.localAddresses() : [];
  const records = generateRecords({ state: parsed.state, config, masters, resolved, localAddresses });
  for (const warning of [...warnings, ...records.warnings]) io.stderr(`warning: ${warning}`);
  const serial = config.SOASerial > 0 ? config.SOASerial : Math.floor(Date.now() / 1000);
  if (options.format === "json") io.stdout(`${JSON.stringify(axfrJson(records, config, serial), null, 2)}\n`);
  else io.stdout(zoneText(records, config, serial));
  return 0;
}
