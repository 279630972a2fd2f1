import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  METRIC_UNITS,
  METRICS_NAMESPACE,
  MetricDimension,
  RunMetrics,
  type MetricDimensions,
  type MetricName,
  type MetricsRecorder,
  type MetricUnit as Unit,
} from '../../lib/metrics/index.ts';
import { KubeEnvironment } from '../../lib/kube/constants.ts';

/**
 * The dimensions every metric of the container carries besides Powertools' `service`: the cluster
 * the function serves, so that several clusters' metrics can share an account.
 */
export function defaultDimensions(
  environment: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const cluster = environment[KubeEnvironment.clusterName];
  return cluster ? { [MetricDimension.cluster]: cluster } : {};
}

/** One Logger and one Metrics per container; the service name comes from POWERTOOLS_SERVICE_NAME. */
export const logger = new Logger();
export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  defaultDimensions: defaultDimensions(process.env),
});

/**
 * The Logger behind the narrow logging ports of lib/ (RunLogger, ProviderLogger, KubeLogger…),
 * whose attributes are optional: Powertools' overloads do not accept an `undefined` second argument.
 */
export const portLogger = {
  info: (message: string, attributes: Record<string, unknown> = {}) =>
    logger.info(message, attributes),
  warn: (message: string, attributes: Record<string, unknown> = {}) =>
    logger.warn(message, attributes),
  error: (message: string, attributes: Record<string, unknown> = {}) =>
    logger.error(message, attributes),
};

export function countMetric(name: string, value = 1): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}

const POWERTOOLS_UNITS = {
  Count: MetricUnit.Count,
  Seconds: MetricUnit.Seconds,
  None: MetricUnit.NoUnit,
} as const satisfies Record<Unit, string>;

/**
 * The Powertools adapter of the runs' metrics port, as CloudWatch EMF. A metric without
 * dimensions joins the invocation's batch (flushed by `publishStoredMetrics`); one with dimensions
 * is written at once in a blob of its own, since one EMF blob has one set of dimensions.
 */
export const metricsRecorder: MetricsRecorder = {
  record(metric: MetricName, value: number, dimensions: MetricDimensions = {}) {
    const unit = POWERTOOLS_UNITS[METRIC_UNITS[metric]];
    const entries = Object.entries(dimensions);
    if (entries.length === 0) {
      metrics.addMetric(metric, unit, value);
      return;
    }
    const single = metrics.singleMetric();
    for (const [name, dimension] of entries) single.addDimension(name, dimension);
    single.addMetric(metric, unit, value);
  },
};

/**
 * Runs a function's run, recording it by trigger: one run, its duration, and a failure when it
 * throws (the run failure rate is failures over runs).
 */
export async function measuredRun<T>(trigger: string, run: () => Promise<T>): Promise<T> {
  const startedAt = performance.now();
  const dimensions = { [MetricDimension.trigger]: trigger };
  try {
    return await run();
  } catch (error) {
    metricsRecorder.record(RunMetrics.runFailures, 1, dimensions);
    throw error;
  } finally {
    metricsRecorder.record(RunMetrics.runs, 1, dimensions);
    metricsRecorder.record(
      RunMetrics.runDuration,
      (performance.now() - startedAt) / 1000,
      dimensions,
    );
  }
}
