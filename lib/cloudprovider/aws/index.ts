export { AwsCloudProvider } from './aws-cloud-provider.ts';
export type { AwsCloudProviderOptions, AwsClients, NodeClassLookup } from './aws-cloud-provider.ts';
export { AwsProviderCaches } from './caches.ts';
export {
  AwsProviderSettingsError,
  AwsProviderSettingsSchema,
  parseAwsProviderSettings,
} from './settings.ts';
export type { AwsProviderSettings } from './settings.ts';
export type { ProviderLogger } from './provider-logger.ts';
export { systemRetryTiming } from './throttle-retry.ts';
export type { RetryTiming } from './throttle-retry.ts';
export { parseProviderId, providerIdOf } from './instances.ts';
export { createAwsClients, pricingRegionFor } from './clients.ts';
