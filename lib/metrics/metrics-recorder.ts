import type { MetricName } from './constants.ts';

/** Dimension name → value; keep values low-cardinality (a NodePool, a reason, never a node). */
export type MetricDimensions = Readonly<Record<string, string>>;

/**
 * What the runs record metrics through. The unit of each metric is fixed by its name
 * (METRIC_UNITS), so a call site says only what and how much.
 */
export interface MetricsRecorder {
  record(metric: MetricName, value: number, dimensions?: MetricDimensions): void;
}

/** For runs whose metrics nobody reads (the CLI, the simulator). */
export const noMetrics: MetricsRecorder = { record: () => undefined };

export interface RecordedMetric {
  readonly metric: MetricName;
  readonly value: number;
  readonly dimensions: MetricDimensions;
}

/** The in-memory adapter: keeps every record, for tests to read. */
export class MemoryMetrics implements MetricsRecorder {
  readonly records: RecordedMetric[] = [];

  record(metric: MetricName, value: number, dimensions: MetricDimensions = {}): void {
    this.records.push({ metric, value, dimensions });
  }

  /** The sum of a metric's values over the records whose dimensions include `dimensions`. */
  sum(metric: MetricName, dimensions: MetricDimensions = {}): number {
    return this.records
      .filter(
        (record) =>
          record.metric === metric &&
          Object.entries(dimensions).every(([name, value]) => record.dimensions[name] === value),
      )
      .reduce((total, { value }) => total + value, 0);
  }
}

/** `InsufficientCapacity` → `insufficient_capacity`: Karpenter's spelling of label values. */
export function labelValue(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
