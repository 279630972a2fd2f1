export {
  DEBOUNCE_IDLE_SECONDS,
  SECRET_CACHE_TTL_MS,
  WEBHOOK_ROUTE,
  WebhookEnvironment,
  WebhookMetrics,
} from './constants.ts';
export {
  handleWebhook,
  type WebhookDeps,
  type WebhookMetric,
  type WebhookResponse,
} from './handle-webhook.ts';
export {
  ProvisioningSignalSchema,
  signalMessage,
  type SignalMessage,
} from './provisioning-signal.ts';
export {
  CachedSecret,
  secretsMatch,
  WebhookSecretError,
  WebhookSecretSchema,
} from './webhook-secret.ts';
