/**
 * Metric names, units and dimensions, defined once for the runs that record them and the CDK
 * dashboard and alarms that read them. infra/ may import this file (it holds constants only).
 */

/** The CloudWatch (EMF) namespace of every function's metrics. */
export const METRICS_NAMESPACE = 'Skyscale';

/** Karpenter's Prometheus names, kept for the metrics that mean the same here. */
export const KarpenterMetrics = {
  nodeClaimsCreated: 'karpenter_nodeclaims_created_total',
  nodeClaimsTerminated: 'karpenter_nodeclaims_terminated_total',
  nodeClaimsDisrupted: 'karpenter_nodeclaims_disrupted_total',
  podsStartupDuration: 'karpenter_pods_startup_duration_seconds',
  schedulingDuration: 'karpenter_scheduler_scheduling_duration_seconds',
  interruptionReceivedMessages: 'karpenter_interruption_received_messages_total',
  cloudProviderErrors: 'karpenter_cloudprovider_errors_total',
  nodePoolUsage: 'karpenter_nodepools_usage',
  nodePoolLimit: 'karpenter_nodepools_limit',
} as const;

/** Skyscale's own: what a serverless controller adds (runs per trigger, pending pods). */
export const RunMetrics = {
  runs: 'Runs',
  runDuration: 'RunDurationSeconds',
  runFailures: 'RunFailures',
  pendingPods: 'PendingPods',
  oldestPendingPodAge: 'PendingPodsOldestAgeSeconds',
  /** 1 while a NodePool's NodeRegistrationHealthy condition is False, else 0. */
  nodePoolRegistrationUnhealthy: 'NodePoolRegistrationUnhealthy',
} as const;

export type MetricName =
  | (typeof KarpenterMetrics)[keyof typeof KarpenterMetrics]
  | (typeof RunMetrics)[keyof typeof RunMetrics];

/** CloudWatch units, spelled as EMF (and Powertools' MetricUnit) spells them. */
export type MetricUnit = 'Count' | 'Seconds' | 'None';

export const METRIC_UNITS: Readonly<Record<MetricName, MetricUnit>> = {
  [KarpenterMetrics.nodeClaimsCreated]: 'Count',
  [KarpenterMetrics.nodeClaimsTerminated]: 'Count',
  [KarpenterMetrics.nodeClaimsDisrupted]: 'Count',
  [KarpenterMetrics.podsStartupDuration]: 'Seconds',
  [KarpenterMetrics.schedulingDuration]: 'Seconds',
  [KarpenterMetrics.interruptionReceivedMessages]: 'Count',
  [KarpenterMetrics.cloudProviderErrors]: 'Count',
  // A resource quantity (cores, bytes, pods): no CloudWatch unit fits them all.
  [KarpenterMetrics.nodePoolUsage]: 'None',
  [KarpenterMetrics.nodePoolLimit]: 'None',
  [RunMetrics.runs]: 'Count',
  [RunMetrics.runDuration]: 'Seconds',
  [RunMetrics.runFailures]: 'Count',
  [RunMetrics.pendingPods]: 'Count',
  [RunMetrics.oldestPendingPodAge]: 'Seconds',
  [RunMetrics.nodePoolRegistrationUnhealthy]: 'Count',
};

/** Dimension names, Karpenter's label names where Karpenter has the label. */
export const MetricDimension = {
  nodePool: 'nodepool',
  reason: 'reason',
  messageType: 'message_type',
  controller: 'controller',
  method: 'method',
  resourceType: 'resource_type',
  trigger: 'trigger',
} as const;

/** The functions that start runs, the `trigger` dimension of the run metrics. */
export const RunTrigger = {
  provisioner: 'provisioner',
  tick: 'tick',
  interruption: 'interruption',
} as const;

/** Each function's POWERTOOLS_SERVICE_NAME: the `service` dimension Powertools adds to every metric. */
export const FunctionServices = {
  webhook: 'skyscale-webhook',
  provisioner: 'skyscale-provisioner',
  tick: 'skyscale-tick',
  interruption: 'skyscale-interruption',
} as const;

/** Karpenter's `reason` of a NodeClaim created for pending pods. */
export const PROVISIONING_REASON = 'provisioning';
