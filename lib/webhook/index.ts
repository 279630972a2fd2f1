export {
  ADMISSION_API_VERSION,
  AdmissionReviewSchema,
  allowedResponse,
  announcesPendingPod,
  reviewedPod,
  type AdmissionReview,
} from './admission-review.ts';
export {
  DEBOUNCE_IDLE_SECONDS,
  METRICS_NAMESPACE,
  ProvisionerEnvironment,
  ProvisionerMetrics,
  SECRET_CACHE_TTL_MS,
  WEBHOOK_ROUTE,
  WebhookEnvironment,
  WebhookMetrics,
} from './constants.ts';
export {
  handleWebhook,
  type WebhookDeps,
  type WebhookLogger,
  type WebhookMetric,
  type WebhookResponse,
} from './handle-webhook.ts';
export {
  ProvisioningSignalSchema,
  signalMessage,
  type ProvisioningSignal,
  type SignalMessage,
} from './provisioning-signal.ts';
export {
  CachedSecret,
  secretsMatch,
  WebhookSecretError,
  WebhookSecretSchema,
} from './webhook-secret.ts';
export {
  parseWebhookBody,
  PingSchema,
  splitPath,
  WebhookBodyError,
  WebhookEventSchema,
  type Ping,
  type WebhookBody,
  type WebhookEvent,
} from './webhook-request.ts';
