export {
  FunctionServices,
  KarpenterMetrics,
  METRIC_UNITS,
  METRICS_NAMESPACE,
  MetricDimension,
  PROVISIONING_REASON,
  RunMetrics,
  RunTrigger,
  type MetricName,
  type MetricUnit,
} from './constants.ts';
export {
  labelValue,
  MemoryMetrics,
  noMetrics,
  type MetricDimensions,
  type MetricsRecorder,
  type RecordedMetric,
} from './metrics-recorder.ts';
