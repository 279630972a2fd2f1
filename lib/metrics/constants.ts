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

/** Skyscale's own: what a serverless controller adds (runs per trigger, pending pods, cost). */
export const RunMetrics = {
  runs: 'Runs',
  runDuration: 'RunDurationSeconds',
  runFailures: 'RunFailures',
  pendingPods: 'PendingPods',
  oldestPendingPodAge: 'PendingPodsOldestAgeSeconds',
  /** 1 while a NodePool's NodeRegistrationHealthy condition is False, else 0. */
  nodePoolRegistrationUnhealthy: 'NodePoolRegistrationUnhealthy',
  /** What a NodePool's NodeClaims cost, in USD per hour, at their offerings' prices. */
  nodePoolCost: 'NodePoolCostUSDPerHour',
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
  // USD per hour: CloudWatch has no currency unit.
  [RunMetrics.nodePoolCost]: 'None',
};

/** Dimension names, Karpenter's label names where Karpenter has the label. */
export const MetricDimension = {
  /** On every metric: the EKS cluster, so that several clusters can share an account. */
  cluster: 'cluster',
  /** On every metric: the function (POWERTOOLS_SERVICE_NAME), added by Powertools. */
  service: 'service',
  nodePool: 'nodepool',
  capacityType: 'capacity_type',
  reason: 'reason',
  messageType: 'message_type',
  controller: 'controller',
  method: 'method',
  resourceType: 'resource_type',
  trigger: 'trigger',
} as const;

export type MetricDimensionName = (typeof MetricDimension)[keyof typeof MetricDimension];

/** The dimensions every metric carries besides its own. */
export const COMMON_DIMENSIONS = [MetricDimension.cluster, MetricDimension.service] as const;

/**
 * The dimensions each metric is recorded with, besides the common ones: the recorder's type
 * makes every call site give exactly these, and the dashboard's and alarms' queries are checked
 * against them.
 */
export const METRIC_DIMENSIONS = {
  [KarpenterMetrics.nodeClaimsCreated]: [MetricDimension.nodePool, MetricDimension.reason],
  [KarpenterMetrics.nodeClaimsTerminated]: [MetricDimension.nodePool, MetricDimension.capacityType],
  [KarpenterMetrics.nodeClaimsDisrupted]: [MetricDimension.nodePool, MetricDimension.reason],
  [KarpenterMetrics.podsStartupDuration]: [],
  [KarpenterMetrics.schedulingDuration]: [MetricDimension.controller],
  [KarpenterMetrics.interruptionReceivedMessages]: [MetricDimension.messageType],
  [KarpenterMetrics.cloudProviderErrors]: [MetricDimension.controller, MetricDimension.method],
  [KarpenterMetrics.nodePoolUsage]: [MetricDimension.nodePool, MetricDimension.resourceType],
  [KarpenterMetrics.nodePoolLimit]: [MetricDimension.nodePool, MetricDimension.resourceType],
  [RunMetrics.runs]: [MetricDimension.trigger],
  [RunMetrics.runDuration]: [MetricDimension.trigger],
  [RunMetrics.runFailures]: [MetricDimension.trigger],
  [RunMetrics.pendingPods]: [],
  [RunMetrics.oldestPendingPodAge]: [],
  [RunMetrics.nodePoolRegistrationUnhealthy]: [MetricDimension.nodePool],
  [RunMetrics.nodePoolCost]: [MetricDimension.nodePool],
} as const satisfies Readonly<Record<MetricName, readonly MetricDimensionName[]>>;

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
