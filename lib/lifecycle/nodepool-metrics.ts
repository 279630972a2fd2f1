import { toResources, type NodePool, type Resources } from '../apis/index.ts';
import {
  KarpenterMetrics,
  MetricDimension,
  RunMetrics,
  type MetricsRecorder,
} from '../metrics/index.ts';

/** Resources count CPU in millicores; Karpenter's gauges report cores. */
const gaugeValue = (resource: string, value: number): number =>
  resource === 'cpu' ? value / 1000 : value;

function recordResources(
  metrics: MetricsRecorder,
  metric: typeof KarpenterMetrics.nodePoolUsage | typeof KarpenterMetrics.nodePoolLimit,
  nodePool: string,
  resources: Resources,
): void {
  for (const [resource, value] of Object.entries(resources))
    metrics.record(metric, gaugeValue(resource, value), {
      [MetricDimension.nodePool]: nodePool,
      [MetricDimension.resourceType]: resource,
    });
}

/**
 * Karpenter's NodePool gauges (usage and limit by resource type) and whether its
 * NodeRegistrationHealthy condition is False, as the status just written says.
 */
export function recordNodePool(
  metrics: MetricsRecorder,
  nodePool: NodePool,
  usage: Resources,
  registrationUnhealthy: boolean,
): void {
  const name = nodePool.metadata.name ?? '';
  recordResources(metrics, KarpenterMetrics.nodePoolUsage, name, usage);
  recordResources(metrics, KarpenterMetrics.nodePoolLimit, name, toResources(nodePool.spec.limits));
  metrics.record(RunMetrics.nodePoolRegistrationUnhealthy, registrationUnhealthy ? 1 : 0, {
    [MetricDimension.nodePool]: name,
  });
}
