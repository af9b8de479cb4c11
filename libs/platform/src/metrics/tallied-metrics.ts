import type { Registry } from 'prom-client';

/**
 * A counter and a histogram for the per-request hot path. prom-client's own re-validate and
 * re-hash the labels on every call, even through a `labels()` child; these count into plain
 * fields of a child kept per label set, and prom-client's registry reads them only at a scrape.
 * The exposition is the same as prom-client's Counter and Histogram.
 */
interface TalliedOptions<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  registers: Registry[];
}

type Labels<L extends string> = Record<L, string>;

interface Sample {
  value: number;
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  metricName?: string;
}

abstract class TalliedMetric<L extends string, Child extends { labels: Labels<L> }> {
  abstract readonly type: 'counter' | 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  private readonly labelNames: readonly L[];
  private children = new Map<string, Child>();

  constructor(options: TalliedOptions<L>) {
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames;
    for (const registry of options.registers) registry.registerMetric(this as never);
  }

  /** The child for these labels; keep it, and count through it. */
  labels(labels: Labels<L>): Child {
    const key = this.labelNames.map((name) => labels[name]).join('\u0000');
    let child = this.children.get(key);
    if (!child) {
      const own = {} as Labels<L>;
      for (const name of this.labelNames) own[name] = String(labels[name]);
      this.children.set(key, (child = this.create(own)));
    }
    return child;
  }

  reset(): void {
    this.children = new Map();
  }

  /** What prom-client's registry reads for the text exposition (labels shared by a child's lines kept apart, as prom-client does). */
  getForPromString() {
    const values: Sample[] = [];
    for (const child of this.children.values()) this.samples(child, values);
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** The JSON form (`registry.getMetricsAsJSON()`): each sample with all its labels. */
  get() {
    const data = this.getForPromString();
    return { ...data, values: data.values.map(({ labels, sharedLabels, ...rest }) => ({ ...rest, labels: { ...sharedLabels, ...labels } })) };
  }

  protected abstract create(labels: Labels<L>): Child;
  protected abstract samples(child: Child, into: Sample[]): void;
}

export class CounterChild<L extends string> {
  value = 0;
  constructor(readonly labels: Labels<L>) {}

  inc(by = 1): void {
    this.value += by;
  }
}

export class TalliedCounter<L extends string> extends TalliedMetric<L, CounterChild<L>> {
  readonly type = 'counter';

  protected create(labels: Labels<L>): CounterChild<L> {
    return new CounterChild(labels);
  }

  protected samples(child: CounterChild<L>, into: Sample[]): void {
    into.push({ value: child.value, labels: child.labels });
  }
}

export class HistogramChild<L extends string> {
  /** Observations per bucket (not cumulative); the last slot is above every bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Labels<L>,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

export class TalliedHistogram<L extends string> extends TalliedMetric<L, HistogramChild<L>> {
  readonly type = 'histogram';
  private readonly buckets: readonly number[];

  constructor(options: TalliedOptions<L> & { buckets: readonly number[] }) {
    super(options);
    this.buckets = [...options.buckets].sort((a, b) => a - b);
  }

  protected create(labels: Labels<L>): HistogramChild<L> {
    return new HistogramChild(labels, this.buckets);
  }

  protected samples(child: HistogramChild<L>, into: Sample[]): void {
    const bucket = `${this.name}_bucket`;
    let cumulative = 0;
    for (const [i, le] of this.buckets.entries()) {
      cumulative += child.counts[i]!;
      into.push({ value: cumulative, labels: { le }, sharedLabels: child.labels, metricName: bucket });
    }
    into.push({ value: child.count, labels: { le: '+Inf' }, sharedLabels: child.labels, metricName: bucket });
    into.push({ value: child.sum, labels: {}, sharedLabels: child.labels, metricName: `${this.name}_sum` });
    into.push({ value: child.count, labels: {}, sharedLabels: child.labels, metricName: `${this.name}_count` });
  }
}
