/**
 * Names shared by the webhook function and the CDK stack that configures it, so the two cannot
 * disagree. infra/ may import this file (it holds constants only).
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

/** CloudWatch (EMF) metric names of the webhook function. */
export const WebhookMetrics = {
  admissionReviews: 'WebhookAdmissionReviews',
  pings: 'WebhookPings',
  rejected: 'WebhookRejectedRequests',
  signalsSent: 'ProvisioningSignalsSent',
  signalFailures: 'ProvisioningSignalFailures',
} as const;
