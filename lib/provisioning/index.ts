export { anotherPassReason } from './another-pass.ts';
export { ProvisionerEnvironment, ProvisionerMetrics } from './constants.ts';
export { runProvisioning } from './run-provisioning.ts';
export {
  DEFAULT_LAUNCH_CONCURRENCY,
  DEFAULT_SAFETY_MARGIN_MS,
  type CompletedProvisioning,
  type DeletedNodeClaim,
  type LaunchFailure,
  type NodeClaimDeletionReason,
  type ProvisioningDeps,
  type ProvisioningOptions,
  type ProvisioningResult,
  type RunDurations,
  type RunLogger,
  type SkippedProvisioning,
  type UnschedulablePodReport,
} from './types.ts';
export { EventRecorder, recorderOf, type ThrottledEvent } from './event-recorder.ts';
export { nodeClaimEvent } from './events.ts';
export { isLaunched, launchNodeClaim } from './launch.ts';
export { recordNodeClaimDisrupted, recordNodeClaimTerminated } from './nodeclaim-metrics.ts';
export { newNodeClaim } from './new-nodeclaim.ts';
export { withRunLock } from './run-lock.ts';
