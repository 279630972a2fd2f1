import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** The CloudWatch (EMF) namespace of every function's metrics. */
const METRICS_NAMESPACE = 'Skyscale';

/** One Logger and one Metrics per container; the service name comes from POWERTOOLS_SERVICE_NAME. */
export const logger = new Logger();
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE });

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
