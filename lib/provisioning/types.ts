import type { CloudProvider } from '../cloudprovider/cloud-provider.ts';
import type { KubeClients } from '../kube/index.ts';
import type { EventRecorder } from './event-recorder.ts';
import type { Clock } from '../util/clock.ts';
import type { PreferencePolicy } from '../scheduling/index.ts';
import type { MetricsRecorder } from '../metrics/index.ts';

/** Structured logging, narrow enough that Powertools' Logger satisfies it. */
export interface RunLogger {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

export interface ProvisioningDeps {
  /** The bulk KubeClient and the Lease lock on its own rate-limited client. */
  readonly kube: KubeClients;
  readonly cloud: CloudProvider;
  readonly clock: Clock;
  readonly logger: RunLogger;
  /** Identifies this run (the Lambda request ID); the Lease holder. */
  readonly runId: string;
  /** Epoch milliseconds by which the run must be over (the Lambda's deadline). */
  readonly deadline: number;
  /**
   * Records the run's events, deduplicated and rate-limited across the runs that share it (a
   * Lambda container keeps one). Default: one for this run alone.
   */
  readonly recorder?: EventRecorder;
  /** Where the run records its metrics. Default: nowhere. */
  readonly metrics?: MetricsRecorder;
}

export interface ProvisioningOptions {
  /** Time kept back from the scheduler for creating, launching and releasing the lock. Default {@link DEFAULT_SAFETY_MARGIN_MS}. */
  readonly safetyMarginMs?: number;
  /** Default Respect. */
  readonly preferencePolicy?: PreferencePolicy;
  /** How many NodeClaims are created and launched at once. Default {@link DEFAULT_LAUNCH_CONCURRENCY}. */
  readonly launchConcurrency?: number;
}

export const DEFAULT_SAFETY_MARGIN_MS = 10_000;
/** Kept between the scheduler's deadline and the lease's renew deadline, for the renewal that follows the scheduler. */
export const RENEWAL_HEADROOM_MS = 3_000;
/**
 * Enough NodeClaims at once that the cloud provider merges their launches into a few calls (it
 * batches launches that arrive together), few enough that none waits long behind the Kubernetes
 * client's QPS limit after its fence check: every create and launch must start while the run
 * still holds the Lease.
 */
export const DEFAULT_LAUNCH_CONCURRENCY = 100;

export interface UnschedulablePodReport {
  /** `namespace/name`. */
  readonly pod: string;
  readonly reason: string;
}

export type NodeClaimDeletionReason = 'InsufficientCapacity' | 'NodeClassNotReady';

export interface DeletedNodeClaim {
  readonly name: string;
  readonly reason: NodeClaimDeletionReason;
  readonly message: string;
}

export interface LaunchFailure {
  readonly name: string;
  /** The claim stays; the next run launches it again with the same idempotency token. */
  readonly message: string;
}

export interface RunDurations {
  /** Acquiring the lock and loading the snapshot. */
  readonly loadMs: number;
  readonly solveMs: number;
  /** Creating and launching NodeClaims and recording events. */
  readonly actMs: number;
}

export interface CompletedProvisioning {
  readonly status: 'completed';
  /** Names of the NodeClaims this run created. */
  readonly nodeClaimsCreated: readonly string[];
  /** Names of the NodeClaims this run launched: its own and those an earlier run created but never launched. */
  readonly nodeClaimsLaunched: readonly string[];
  /** NodeClaims deleted because nothing could launch them, so their pods re-plan next run. */
  readonly nodeClaimsDeleted: readonly DeletedNodeClaim[];
  readonly launchFailures: readonly LaunchFailure[];
  /** Pods given a place: on a new NodeClaim, an in-flight one or an existing node. */
  readonly podsNominated: number;
  readonly unschedulablePods: readonly UnschedulablePodReport[];
  /** Pods the scheduler's deadline left untried; the next run takes them. */
  readonly podsNotAttempted: number;
  readonly schedulerTimedOut: boolean;
  /** The lock was taken over or went unrenewed past its renew deadline, so the run stopped acting. */
  readonly lockLost: boolean;
  readonly durations: RunDurations;
}

export interface SkippedProvisioning {
  readonly status: 'skipped';
  /** Another run holds the lock. */
  readonly reason: 'locked';
}

export type ProvisioningResult = CompletedProvisioning | SkippedProvisioning;
