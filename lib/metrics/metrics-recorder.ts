import { METRIC_DIMENSIONS, type MetricName } from './constants.ts';

/** Dimension name → value; keep values low-cardinality (a NodePool, a reason, never a node). */
export type MetricDimensions = Readonly<Record<string, string>>;

/** The dimensions `metric` is recorded with: exactly its entry in METRIC_DIMENSIONS. */
export type DimensionsOf<M extends MetricName> = {
  readonly [K in (typeof METRIC_DIMENSIONS)[M][number]]: string;
};

/** A metric without dimensions of its own may leave them out. */
type DimensionsArgument<M extends MetricName> = [keyof DimensionsOf<M>] extends [never]
  ? [dimensions?: DimensionsOf<M>]
  : [dimensions: DimensionsOf<M>];

/**
 * What the runs record metrics through. The unit of each metric is fixed by its name
 * (METRIC_UNITS) and its dimensions by METRIC_DIMENSIONS, so a call site says only what and how
 * much, and by what.
 */
export interface MetricsRecorder {
  record<M extends MetricName>(
    metric: M,
    value: number,
    ...dimensions: DimensionsArgument<M>
  ): void;
}

/** For runs whose metrics nobody reads (the CLI, the simulator). */
export const noMetrics: MetricsRecorder = { record: () => undefined };

export interface RecordedMetric {
  readonly metric: MetricName;
  readonly value: number;
  readonly dimensions: MetricDimensions;
}

/** A record whose dimensions are not the metric's declared ones: the dashboard would miss it. */
export class UndeclaredDimensionsError extends Error {
  override readonly name = 'UndeclaredDimensionsError';
}

/**
 * The in-memory adapter: keeps every record, for tests to read. It refuses a record whose
 * dimensions differ from the metric's declared ones, so every test that records checks them.
 */
export class MemoryMetrics implements MetricsRecorder {
  readonly records: RecordedMetric[] = [];

  record<M extends MetricName>(metric: M, value: number, ...[dimensions]: DimensionsArgument<M>) {
    const given = Object.keys(dimensions ?? {}).sort();
    const declared = [...METRIC_DIMENSIONS[metric]].sort();
    if (given.join() !== declared.join())
      throw new UndeclaredDimensionsError(
        `${metric} is recorded with dimensions [${declared.join(', ')}], not [${given.join(', ')}]`,
      );
    this.records.push({ metric, value, dimensions: dimensions ?? {} });
  }

  /** The records of `metric` whose dimensions include `dimensions`, in the order recorded. */
  recordsOf(metric: MetricName, dimensions: MetricDimensions = {}): RecordedMetric[] {
    return this.records.filter(
      (record) =>
        record.metric === metric &&
        Object.entries(dimensions).every(([name, value]) => record.dimensions[name] === value),
    );
  }

  /** The sum of a metric's values over the records whose dimensions include `dimensions`. */
  sum(metric: MetricName, dimensions: MetricDimensions = {}): number {
    return this.recordsOf(metric, dimensions).reduce((total, { value }) => total + value, 0);
  }
}

/** `InsufficientCapacity` → `insufficient_capacity`: Karpenter's spelling of label values. */
export function labelValue(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
