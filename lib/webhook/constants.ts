/**
 * Names shared by the webhook and provisioner functions and the CDK stack that configures them,
 * so the three cannot disagree. infra/ may import this file (it holds constants only).
 */
export const WebhookEnvironment = {
  /** ARN of the Secrets Manager secret holding the webhook's shared secret. */
  secretArn: 'WEBHOOK_SECRET_ARN',
  /** Or: name of an SSM SecureString parameter holding it (used when no ARN is set). */
  secretParameter: 'WEBHOOK_SECRET_PARAMETER',
  /** URL of the FIFO queue that carries provisioning signals. */
  signalQueueUrl: 'PROVISIONING_QUEUE_URL',
} as const;

/** The one route: the apiserver POSTs to `https://<function url>/<secret>/pods`. */
export const WEBHOOK_ROUTE = 'pods';

/** How long a fetched secret is trusted before it is read again, so a rotation takes effect. */
export const SECRET_CACHE_TTL_MS = 5 * 60_000;

/**
 * Karpenter's batcher closes a batch after 1 s without a new trigger (at most 10 s after the
 * first). A FIFO queue has no batching window, so the idle second becomes the signal queue's
 * delivery delay plus one-second deduplication buckets: a burst sends at most one signal per
 * second, and each becomes visible only after its second is over.
 */
export const DEBOUNCE_IDLE_SECONDS = 1;

/** CloudWatch (EMF) namespace and metric names of both functions. */
export const METRICS_NAMESPACE = 'Skyscale';
export const WebhookMetrics = {
  admissionReviews: 'WebhookAdmissionReviews',
  pings: 'WebhookPings',
  rejected: 'WebhookRejectedRequests',
  signalsSent: 'ProvisioningSignalsSent',
  signalFailures: 'ProvisioningSignalFailures',
} as const;
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
