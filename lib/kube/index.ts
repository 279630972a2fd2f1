export { KubeEnvironment } from './constants.ts';
export { KubeApiError, KubeConfigError, isKubeError, type KubeErrorReason } from './errors.ts';
export {
  InvalidObjectError,
  type FieldProblem,
  type KubeLogger,
  type Listed,
} from './invalid-object.ts';
export type {
  EvictionResult,
  InvolvedObject,
  KubeClient,
  KubeEvent,
  NamespacedName,
  PodFilter,
} from './kube-client-port.ts';
export {
  buildKubeClients,
  type KubeClients,
  type KubeClientsOptions,
  type RunLock,
  unavailableOfferingsName,
} from './bulk-and-lease-clients.ts';
export { ExpiringEntries, type Expiries } from './expiring-entries/expiring-entries.ts';
export { DEFAULT_UPDATE_ATTEMPTS, type Mutation } from './optimistic-update.ts';
export {
  LeaseLock,
  leaseName,
  DEFAULT_LEASE_DURATION_SECONDS,
  DEFAULT_LEASE_NAMESPACE,
} from './lease/lease-lock.ts';
export type { LeaseRenewer } from './lease/lease-renewer.ts';
export {
  BULK_RATE_LIMITS,
  LEASE_RATE_LIMITS,
  TokenBucket,
  type RateLimits,
} from './rate-limit/token-bucket.ts';
export { ResourceTypes, type ResourceType } from './resource-types.ts';
export type { DeleteOptions, JsonObject, ResourceTransport } from './transport.ts';
export {
  createKubeClient,
  DEFAULT_PAGE_SIZE,
  REPORTING_COMPONENT,
  type KubeClientOptions,
} from './kube-client-over-transport.ts';
export {
  createEksToken,
  EksTokenSource,
  type AwsCredentials,
  type CredentialsProvider,
} from './eks/eks-token.ts';
// Adapters have their own entry points, so importing the port never loads @kubernetes/client-node:
// lib/kube/client-node/index.ts and lib/kube/memory/index.ts.
