/**
 * Names shared by the provisioner function and the CDK stack that configures it, so the two cannot
 * disagree. infra/ may import this file (it holds constants only).
 */

/** CloudWatch (EMF) metric names of the provisioner function. */
export const ProvisionerMetrics = {
  runs: 'ProvisioningRuns',
  skippedRuns: 'ProvisioningRunsSkipped',
  nodeClaimsCreated: 'NodeClaimsCreated',
  nodeClaimsLaunched: 'NodeClaimsLaunched',
  launchFailures: 'LaunchFailures',
  unschedulablePods: 'UnschedulablePods',
} as const;

/** Settings of the provisioner function beyond the cluster's (see KubeEnvironment in lib/kube). */
export const ProvisionerEnvironment = {
  /** The cluster's service CIDR, from which nodes derive the cluster DNS address. */
  clusterServiceCidr: 'CLUSTER_SERVICE_CIDR',
  /** `1.34`: picks the EKS-optimized AMIs behind an alias. */
  kubernetesVersion: 'KUBERNETES_VERSION',
  /** The signal queue the provisioner consumes, whose failed messages it makes visible again early. */
  signalQueueUrl: 'PROVISIONING_QUEUE_URL',
  /** Where it moves messages that are not signals. */
  deadLetterQueueUrl: 'PROVISIONING_DEAD_LETTER_QUEUE_URL',
} as const;
