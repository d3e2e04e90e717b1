/**
 * A small Prometheus registry: counters, gauges, histograms and scrape-time callback
 * gauges, exposed in the text format 0.0.4.
 *
 * It lives in core and is written by hand, not with `prom-client`, because core must stay
 * runtime-free (prom-client reaches for `node:*` modules) and the app needs only a tiny
 * subset. Hot paths call a child obtained once from `labels(...)`: incrementing a cached
 * child allocates nothing.
 *
 * Registration mistakes (bad or duplicate names, wrong label sets) are programmer bugs and
 * throw; observing values never throws on a well-formed child.
 *
 * @example
 * ```ts
 * const registry = new MetricsRegistry();
 * const queries = registry.counter("dns_queries_total", "DNS queries.", ["zone"]);
 * const mesos = queries.labels({ zone: "mesos" });
 * mesos.inc();
 * registry.expose(); // "# HELP dns_queries_total DNS queries.\n# TYPE ..."
 * ```
 *
 * @module
 */

import {
  escapeHelp,
  escapeLabelValue,
  type Family,
  formatValue,
  LABEL_NAME,
  Labelled,
  sampleLine,
} from "./_metrics-family.ts";

export { formatValue };

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** A counter child bound to one set of label values. */
export interface CounterChild {
  inc(n?: number): void;
}

/** A gauge child bound to one set of label values. */
export interface GaugeChild {
  set(v: number): void;
  inc(n?: number): void;
  dec(n?: number): void;
}

/** A histogram child bound to one set of label values. */
export interface HistogramChild {
  observe(v: number): void;
}

/** Labels for one sample of a callback gauge. */
export interface GaugeFnSample {
  labels: Record<string, string>;
  value: number;
}

/** A monotonically increasing counter. */
export class Counter extends Labelled<{ value: number } & CounterChild> implements Family {
  readonly type = "counter" as const;

  protected makeChild(): { value: number } & CounterChild {
    const child = {
      value: 0,
      inc(n = 1): void {
        // A counter never goes down; a negative step is a caller bug we ignore, not a crash.
        if (n > 0) child.value += n;
      },
    };
    return child;
  }

  inc(labels?: Record<string, string>, n = 1): void {
    this.child(labels).inc(n);
  }

  /** A cached child; keep it and call `inc()` on the hot path. */
  labels(values: Record<string, string>): CounterChild {
    return this.child(values);
  }

  render(out: string[]): void {
    for (const { labelText, child } of this.entries()) {
      out.push(sampleLine(this.name, labelText, child.value));
    }
  }
}

/** A value that can go up and down. */
export class Gauge extends Labelled<{ value: number } & GaugeChild> implements Family {
  readonly type = "gauge" as const;

  protected makeChild(): { value: number } & GaugeChild {
    const child = {
      value: 0,
      set(v: number): void {
        child.value = v;
      },
      inc(n = 1): void {
        child.value += n;
      },
      dec(n = 1): void {
        child.value -= n;
      },
    };
    return child;
  }

  set(labels: Record<string, string> | undefined, v: number): void {
    this.child(labels).set(v);
  }
  inc(labels?: Record<string, string>, n = 1): void {
    this.child(labels).inc(n);
  }
  dec(labels?: Record<string, string>, n = 1): void {
    this.child(labels).dec(n);
  }
  labels(values: Record<string, string>): GaugeChild {
    return this.child(values);
  }

  render(out: string[]): void {
    for (const { labelText, child } of this.entries()) {
      out.push(sampleLine(this.name, labelText, child.value));
    }
  }
}

interface HistogramState extends HistogramChild {
  /** Per-bucket (non-cumulative) counts; the last slot is +Inf. */
  readonly counts: number[];
  sum: number;
  count: number;
}

/** Observations counted into fixed upper-bound buckets, plus their sum and count. */
export class Histogram extends Labelled<HistogramState> implements Family {
  readonly type = "histogram" as const;
  readonly buckets: readonly number[];

  constructor(name: string, help: string, buckets: readonly number[], labelNames: readonly string[]) {
    const sorted = [...buckets].filter((b) => b !== Number.POSITIVE_INFINITY).sort((x, y) => x - y);
    if (sorted.some((b, i) => Number.isNaN(b) || (i > 0 && b === sorted[i - 1]))) {
      throw new Error(`Invalid buckets for histogram "${name}": ${buckets.join(", ")}`);
    }
    super(name, help, labelNames);
    this.buckets = sorted;
  }

  protected makeChild(): HistogramState {
    const bounds = this.buckets;
    const state: HistogramState = {
      counts: new Array<number>(bounds.length + 1).fill(0),
      sum: 0,
      count: 0,
      observe(v: number): void {
        // NaN fits no bucket and would poison the sum; drop it.
        if (Number.isNaN(v)) return;
        let i = 0;
        while (i < bounds.length && v > bounds[i]!) i++;
        state.counts[i]!++;
        state.sum += v;
        state.count++;
      },
    };
    return state;
  }

  observe(labels: Record<string, string> | undefined, v: number): void {
    this.child(labels).observe(v);
  }
  labels(values: Record<string, string>): HistogramChild {
    return this.child(values);
  }

  render(out: string[]): void {
    for (const { labelText, child } of this.entries()) {
      const sep = labelText === "" ? "" : ",";
      let cumulative = 0;
      for (let i = 0; i <= this.buckets.length; i++) {
        cumulative += child.counts[i]!;
        const le = i < this.buckets.length ? formatValue(this.buckets[i]!) : "+Inf";
        out.push(sampleLine(`${this.name}_bucket`, `${labelText}${sep}le="${le}"`, cumulative));
      }
      out.push(sampleLine(`${this.name}_sum`, labelText, child.sum));
      out.push(sampleLine(`${this.name}_count`, labelText, child.count));
    }
  }
}

/** A gauge whose samples are computed when scraped. */
class CallbackGauge implements Family {
  readonly type = "gauge" as const;
  readonly name: string;
  readonly help: string;
  readonly #fn: () => number | GaugeFnSample[];

  constructor(name: string, help: string, fn: () => number | GaugeFnSample[]) {
    this.name = name;
    this.help = help;
    this.#fn = fn;
  }

  render(out: string[]): void {
    let result: number | GaugeFnSample[];
    try {
      result = this.#fn();
    } catch {
      // A failing callback must not break the whole scrape: its samples are left out.
      return;
    }
    if (typeof result === "number") {
      out.push(sampleLine(this.name, "", result));
      return;
    }
    for (const { labels, value } of result) {
      const text = Object.entries(labels)
        .filter(([label]) => LABEL_NAME.test(label))
        .map(([label, v]) => `${label}="${escapeLabelValue(v)}"`)
        .join(",");
      out.push(sampleLine(this.name, text, value));
    }
  }
}

/** Holds metric families in registration order and renders them for `/metrics`. */
export class MetricsRegistry {
  readonly #families = new Map<string, Family>();

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.#add(new Counter(checkName(name), help, labelNames));
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.#add(new Gauge(checkName(name), help, labelNames));
  }

  histogram(
    name: string,
    help: string,
    buckets: readonly number[],
    labelNames: readonly string[] = [],
  ): Histogram {
    return this.#add(new Histogram(checkName(name), help, buckets, labelNames));
  }

  /** Callback gauges computed at scrape time (e.g. state age). */
  gaugeFn(name: string, help: string, fn: () => number | GaugeFnSample[]): void {
    this.#add(new CallbackGauge(checkName(name), help, fn));
  }

  /** The text exposition format 0.0.4: HELP and TYPE per family, then its samples. */
  expose(): string {
    const out: string[] = [];
    for (const family of this.#families.values()) {
      out.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
      out.push(`# TYPE ${family.name} ${family.type}`);
      family.render(out);
    }
    return out.length === 0 ? "" : out.join("\n") + "\n";
  }

  #add<F extends Family>(family: F): F {
    if (this.#families.has(family.name)) throw new Error(`Metric "${family.name}" is already registered`);
    this.#families.set(family.name, family);
    return family;
  }
}

function checkName(name: string): string {
  if (!METRIC_NAME.test(name)) throw new Error(`Invalid metric name "${name}"`);
  return name;
}
