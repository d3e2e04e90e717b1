/**
 * Internals of `metrics.ts`: the family contract, label-child bookkeeping and the text
 * format's escaping rules.
 *
 * @module
 */

/** Label names: Prometheus syntax; `__`-prefixed names are reserved. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "gauge" | "histogram";
  /** Appends this family's sample lines (without HELP/TYPE). */
  render(out: string[]): void;
}

/** Shared child bookkeeping: label values -> child, created on first use and kept. */
export abstract class Labelled<C> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  protected readonly children = new Map<string, { labelText: string; child: C }>();

  constructor(name: string, help: string, labelNames: readonly string[]) {
    this.name = name;
    this.help = help;
    this.labelNames = [...labelNames];
    for (const label of labelNames) {
      if (!LABEL_NAME.test(label) || label.startsWith("__") || label === "le") {
        throw new Error(`Invalid label name "${label}" for metric "${name}"`);
      }
    }
    if (new Set(labelNames).size !== labelNames.length) {
      throw new Error(`Duplicate label name for metric "${name}": ${labelNames.join(", ")}`);
    }
  }

  protected abstract makeChild(): C;

  /** Children to render; an unlabelled metric always shows one sample, even before any update. */
  protected entries(): Iterable<{ labelText: string; child: C }> {
    if (this.labelNames.length === 0) this.child(undefined);
    return this.children.values();
  }

  /** The child for `values` (every declared label, nothing else), created once. */
  protected child(values: Record<string, string> | undefined): C {
    const names = this.labelNames;
    if (names.length === 0) {
      if (values !== undefined && Object.keys(values).length > 0) {
        throw new Error(`Metric "${this.name}" has no labels, got ${JSON.stringify(values)}`);
      }
      let only = this.children.get("");
      if (only === undefined) {
        only = { labelText: "", child: this.makeChild() };
        this.children.set("", only);
      }
      return only.child;
    }
    if (values === undefined) throw new Error(`Metric "${this.name}" needs labels ${names.join(", ")}`);
    let key = "";
    for (const label of names) {
      const v = values[label];
      if (v === undefined) throw new Error(`Metric "${this.name}" is missing label "${label}"`);
      key += v + "\u0000";
    }
    const found = this.children.get(key);
    if (found !== undefined) return found.child;
    if (Object.keys(values).length !== names.length) {
      throw new Error(`Metric "${this.name}" got unexpected labels ${JSON.stringify(values)}`);
    }
    const labelText = names.map((label) => `${label}="${escapeLabelValue(values[label]!)}"`).join(",");
    const child = this.makeChild();
    this.children.set(key, { labelText, child });
    return child;
  }
}

export function sampleLine(name: string, labelText: string, value: number): string {
  return labelText === "" ? `${name} ${formatValue(value)}` : `${name}{${labelText}} ${formatValue(value)}`;
}

/** Go-style float text: `+Inf`, `-Inf`, `NaN`, otherwise the shortest round-trip form. */
export function formatValue(v: number): string {
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(v);
}

export function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

export function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}
