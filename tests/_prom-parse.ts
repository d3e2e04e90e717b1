/**
 * A strict parser for the Prometheus text exposition format 0.0.4, for tests: it throws on
 * anything a real scraper would reject (samples before their TYPE, bad escapes, duplicate
 * series, histogram buckets that are not cumulative or lack `+Inf`).
 *
 * @module
 */

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromFamily {
  name: string;
  help: string;
  type: string;
  samples: PromSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

/** Parses an exposition into families keyed by name, in order of appearance. */
export function parseProm(text: string): Map<string, PromFamily> {
  if (text !== "" && !text.endsWith("\n")) throw new Error("exposition must end with a newline");
  const families = new Map<string, PromFamily>();
  const seen = new Set<string>();
  const lines = text.split("\n").slice(0, -1);
  for (const [i, line] of lines.entries()) {
    const where = `line ${i + 1} ${JSON.stringify(line)}`;
    if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
      const rest = line.slice(7);
      const name = NAME.exec(rest)?.[0];
      if (name === undefined || rest[name.length] !== " ") throw new Error(`bad metadata at ${where}`);
      const value = rest.slice(name.length + 1);
      const family = families.get(name) ?? { name, help: "", type: "untyped", samples: [] };
      families.set(name, family);
      if (line.startsWith("# HELP ")) family.help = unescapeText(value, false, where);
      else if (TYPES.has(value)) family.type = value;
      else throw new Error(`bad type at ${where}`);
      continue;
    }
    if (line.startsWith("#") || line === "") continue;
    const sample = parseSample(line, where);
    const family = familyOf(families, sample.name);
    if (family === undefined) throw new Error(`sample without HELP/TYPE at ${where}`);
    const series = sample.name + JSON.stringify(Object.entries(sample.labels).sort());
    if (seen.has(series)) throw new Error(`duplicate series at ${where}`);
    seen.add(series);
    family.samples.push(sample);
  }
  for (const family of families.values()) if (family.type === "histogram") checkHistogram(family);
  return families;
}

/** The one sample of `name` whose labels include `labels`; throws when there is not exactly one. */
export function sampleValue(
  families: Map<string, PromFamily>,
  name: string,
  labels: Record<string, string> = {},
): number {
  const family = familyOf(families, name);
  const hits = (family?.samples ?? []).filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (hits.length !== 1) throw new Error(`${hits.length} samples for ${name}${JSON.stringify(labels)}`);
  return hits[0]!.value;
}

function familyOf(families: Map<string, PromFamily>, sampleName: string): PromFamily | undefined {
  const direct = families.get(sampleName);
  if (direct !== undefined) return direct;
  const base = sampleName.replace(/_(bucket|sum|count)$/, "");
  const family = families.get(base);
  return family?.type === "histogram" || family?.type === "summary" ? family : undefined;
}

function parseSample(line: string, where: string): PromSample {
  const name = NAME.exec(line)?.[0];
  if (name === undefined) throw new Error(`bad sample name at ${where}`);
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith("{")) {
    rest = rest.slice(1);
    while (!rest.startsWith("}")) {
      const label = LABEL.exec(rest)?.[0];
      if (label === undefined || rest[label.length] !== "=" || rest[label.length + 1] !== '"') {
        throw new Error(`bad label at ${where}`);
      }
      rest = rest.slice(label.length + 2);
      let raw = "";
      while (rest[0] !== '"') {
        if (rest === "") throw new Error(`unterminated label value at ${where}`);
        const step = rest[0] === "\\" ? 2 : 1;
        raw += rest.slice(0, step);
        rest = rest.slice(step);
      }
      if (label in labels) throw new Error(`duplicate label ${label} at ${where}`);
      labels[label] = unescapeText(raw, true, where);
      rest = rest.slice(1);
      if (rest.startsWith(",")) rest = rest.slice(1);
      else if (!rest.startsWith("}")) throw new Error(`expected , or } at ${where}`);
    }
    rest = rest.slice(1);
  }
  const parts = rest.split(" ");
  if (parts[0] !== "" || parts.length < 2 || parts.length > 3) throw new Error(`bad value at ${where}`);
  return { name, labels, value: parseValue(parts[1]!, where) };
}

function parseValue(text: string, where: string): number {
  if (text === "+Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  if (text === "NaN") return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad number at ${where}`);
  return Number(text);
}

function unescapeText(text: string, quotes: boolean, where: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => {
    if (c === "\\") return "\\";
    if (c === "n") return "\n";
    if (c === '"' && quotes) return '"';
    throw new Error(`bad escape \\${c} at ${where}`);
  });
}

function checkHistogram(family: PromFamily): void {
  const groups = new Map<string, PromSample[]>();
  for (const s of family.samples) {
    if (s.name !== `${family.name}_bucket`) continue;
    const { le, ...rest } = s.labels;
    if (le === undefined) throw new Error(`${family.name}: bucket without le`);
    const key = JSON.stringify(Object.entries(rest).sort());
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const [key, buckets] of groups) {
    const last = buckets.at(-1)!;
    if (last.labels.le !== "+Inf") throw new Error(`${family.name}${key}: last bucket is not +Inf`);
    for (let i = 1; i < buckets.length; i++) {
      if (buckets[i]!.value < buckets[i - 1]!.value) throw new Error(`${family.name}${key}: not cumulative`);
    }
    const count = family.samples.find(
      (s) => s.name === `${family.name}_count` && JSON.stringify(Object.entries(s.labels).sort()) === key,
    );
    if (count?.value !== last.value) throw new Error(`${family.name}${key}: _count differs from +Inf bucket`);
  }
}
