/**
 * Turns the text of `config.json` into a {@link Config}, following upstream's decoding rules
 * (docs/spec.md §2.1): keys matched case-insensitively, the later duplicate wins, `null` keeps scalars
 * and empties lists, wrong JSON types are errors. Semantic checks live in `config-validate.ts`.
 *
 * @module
 */

import * as v from "valibot";
import { errorMessage } from "../log/log-text.ts";
import { objectEntries } from "./_json-object-entries.ts";
import { findJsonSyntaxError } from "./_json-syntax-error.ts";
import { CONFIG_KEYS, CONFIG_NAMES, type Config, defaultConfig } from "./config.ts";

/** A configuration problem, with one human-readable line in `message`. */
export interface ConfigError {
  file: string;
  /** The key as written in the file (or its documented spelling when found by validation). */
  key?: string;
  /** The offending value, as JSON text. */
  value?: string;
  /** What was expected instead. */
  expected?: string;
  /** One line naming the file, the key, the bad value and what is expected. */
  message: string;
}

/** The outcome of parsing or loading a configuration: errors are values, not exceptions. */
export type ConfigResult =
  | { ok: true; config: Config; warnings: string[] }
  | { ok: false; error: ConfigError };

const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const STRING_LIST = v.array(v.string());

const SCALARS = {
  int: { schema: int(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER), expected: "an integer" },
  int32: { schema: int(-(2 ** 31), 2 ** 31 - 1), expected: "an integer -2147483648..2147483647" },
  uint16: { schema: int(0, 65535), expected: "an integer 0..65535" },
  uint32: { schema: int(0, 2 ** 32 - 1), expected: "an integer 0..4294967295" },
  string: { schema: v.string(), expected: "a string" },
  bool: { schema: v.boolean(), expected: "true or false" },
} as const;

// Fields whose range validation checks later; naming it already here makes one consistent message.
const EXPECTED_OVERRIDE: Partial<Record<keyof Config, string>> = {
  Port: "an integer 0..65535",
  HttpPort: "an integer 0..65535",
};

const KEY_INDEX = new Map<string, keyof Config>(CONFIG_NAMES.map((name) => [asciiLower(name), name]));

/** ASCII-only lower-casing, as upstream's key matching (no Unicode folding). */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** Short JSON rendering of a value for messages. */
export function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Parses config text. `file` is only used in messages (`<file>: key "port": ...`).
 * Domain is lower-cased, zone keys are lower-cased (docs/spec.md §10 #10) and SOA names normalised (docs/spec.md §2.2).
 */
export function parseConfigText(text: string, file: string): ConfigResult {
  // A UTF-8 BOM is a common editor artefact; tolerating it changes nothing else.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let root: unknown;
  try {
    root = JSON.parse(source);
  } catch (e) {
    // Engines word (and Bun omits) the position differently; find it ourselves.
    const at = findJsonSyntaxError(source);
    if (at) return fail({ file, message: `${file}:${at.line}:${at.column}: invalid JSON: ${at.problem}` });
    // V8 quotes part of the source in its message; keep the report on one line.
    const detail = errorMessage(e).replace(/\s+/g, " ");
    return fail({ file, message: `${file}: invalid JSON: ${detail}` });
  }
  if (!isObject(root)) {
    const got = showValue(root);
    return fail({
      file,
      value: got,
      expected: "a JSON object",
      message: `${file}: expected a JSON object, got ${got}`,
    });
  }
  const config = defaultConfig();
  // No prototype: zone names come from the file, and `__proto__` must stay a key.
  config.ZoneResolvers = Object.create(null) as Record<string, string[]>;
  const warnings: string[] = [];
  const context: FieldContext = { file, warnings, zoneSpellings: new Map() };
  // JSON.parse keeps the first position of a duplicate key; upstream applies keys in file order.
  for (const [key, valueText] of objectEntries(source)) {
    const name = KEY_INDEX.get(asciiLower(key));
    if (name === undefined) {
      warnings.push(`${file}: unknown key "${key}" ignored`);
      continue;
    }
    const error = applyField(config, name, key, valueText, context);
    if (error) return fail(error);
  }
  config.Domain = config.Domain.toLowerCase();
  config.SOAMname = normaliseSoaMname(config.SOAMname);
  config.SOARname = normaliseSoaRname(config.SOARname);
  return { ok: true, config, warnings };
}

/** SOA MNAME: trailing dots removed, one dot appended. */
export function normaliseSoaMname(name: string): string {
  return `${name.replace(/\.+$/, "")}.`;
}

/** SOA RNAME: every `@` becomes `.`, trailing dots removed, one dot appended. */
export function normaliseSoaRname(name: string): string {
  return normaliseSoaMname(name.replaceAll("@", "."));
}

function fail(error: ConfigError): ConfigResult {
  return { ok: false, error };
}

function typeError(file: string, key: string, value: unknown, expected: string): ConfigError {
  const got = showValue(value);
  return {
    file,
    key,
    value: got,
    expected,
    message: `${file}: key "${key}": expected ${expected}, got ${got}`,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What applying one field needs besides the field itself. */
interface FieldContext {
  readonly file: string;
  readonly warnings: string[];
  /** Each zone's first spelling, by lower-cased name, across every `zoneResolvers` key. */
  readonly zoneSpellings: Map<string, string>;
}

function applyField(
  config: Config,
  name: keyof Config,
  key: string,
  valueText: string,
  context: FieldContext,
): ConfigError | undefined {
  const { file, warnings } = context;
  const value: unknown = JSON.parse(valueText);
  // Each kind's schema guarantees the value's type matches the field being written.
  const target = config as unknown as Record<string, unknown>;
  const kind = CONFIG_KEYS[name].kind;
  switch (kind) {
    case "list": {
      if (value === null) {
        // Go decodes null into a nil slice: Masters/Resolvers then show as null, IPSources is empty.
        target[name] = name === "IPSources" ? [] : null;
        return undefined;
      }
      if (!v.is(STRING_LIST, value)) return typeError(file, key, value, "a list of strings");
      target[name] = [...value];
      return undefined;
    }
    case "zones":
      return applyZones(config, key, value, valueText, context);
    case "creds":
      return applyCredentials(config, key, value, valueText, file, warnings);
    default: {
      if (value === null) return undefined;
      const scalar = SCALARS[kind];
      if (!v.is(scalar.schema, value)) {
        return typeError(file, key, value, EXPECTED_OVERRIDE[name] ?? scalar.expected);
      }
      target[name] = value;
      return undefined;
    }
  }
}

function applyZones(
  config: Config,
  key: string,
  value: unknown,
  valueText: string,
  { file, zoneSpellings }: FieldContext,
): ConfigError | undefined {
  if (value === null) {
    config.ZoneResolvers = Object.create(null) as Record<string, string[]>;
    zoneSpellings.clear();
    return undefined;
  }
  if (!isObject(value)) {
    return typeError(file, key, value, "an object mapping each zone to a list of resolver addresses");
  }
  // Go decodes into the existing map, so a second `zoneResolvers` key adds to the first.
  const zones = Object.assign(Object.create(null) as Record<string, string[]>, config.ZoneResolvers);
  for (const [zone, listText] of objectEntries(valueText)) {
    const lower = zone.toLowerCase();
    // Go keeps both spellings as separate zones; lower-casing them (docs/spec.md §10 #10) would let
    // one silently replace the other, so the file must say which it means.
    const earlier = zoneSpellings.get(lower);
    if (earlier !== undefined && earlier !== zone) {
      return {
        file,
        key,
        value: JSON.stringify(zone),
        expected: "zone names that differ in more than case",
        message: `${file}: key "${key}": zones ${JSON.stringify(earlier)} and ${JSON.stringify(zone)} differ only in case; zones are compared case-insensitively`,
      };
    }
    zoneSpellings.set(lower, zone);
    const list: unknown = JSON.parse(listText);
    if (list === null) {
      zones[lower] = [];
      continue;
    }
    if (!v.is(STRING_LIST, list)) return typeError(file, `${key}.${zone}`, list, "a list of strings");
    zones[lower] = [...list];
  }
  config.ZoneResolvers = zones;
  return undefined;
}

function applyCredentials(
  config: Config,
  key: string,
  value: unknown,
  valueText: string,
  file: string,
  warnings: string[],
): ConfigError | undefined {
  if (value === null) return undefined;
  if (!isObject(value)) {
    return typeError(file, key, value, 'an object {"principal": string, "secret": string}');
  }
  const creds = { ...config.MesosCredentials };
  for (const [subKey, subText] of objectEntries(valueText)) {
    const lower = asciiLower(subKey);
    if (lower !== "principal" && lower !== "secret") {
      warnings.push(`${file}: unknown key "${key}.${subKey}" ignored`);
      continue;
    }
    const sub: unknown = JSON.parse(subText);
    if (sub === null) continue;
    if (typeof sub !== "string") return typeError(file, `${key}.${subKey}`, sub, "a string");
    if (lower === "principal") creds.Principal = sub;
    else creds.Secret = sub;
  }
  config.MesosCredentials = creds;
  return undefined;
}
