/**
 * Names shared by the tick function and the CDK stack that deploys it. infra/ may import this
 * file (it holds constants only).
 */
export const TickEnvironment = {
  /** Optional registration TTL as a duration (`15m`, `90s`); shortened in tests. */
  registrationTtl: 'REGISTRATION_TTL',
  /** `true` lets consolidation replace spot nodes by cheaper spot nodes (Karpenter's SpotToSpotConsolidation gate); default `false`. */
  spotToSpotConsolidation: 'SPOT_TO_SPOT_CONSOLIDATION',
  /** The schedule's period as a duration (`1m`, `5m`); default one minute. */
  period: 'TICK_PERIOD',
} as const;

/**
 * The schedule's event: EventBridge Scheduler fills in when it meant the invocation to run
 * (its `<aws.scheduler.scheduled-time>` context attribute).
 */
export const TickEventFields = {
  scheduledTime: 'scheduledTime',
} as const;

/** The schedule's period: the tick is the safety net under every other trigger. */
export const TICK_PERIOD_SECONDS = 60;
/**
 * The tick function's timeout: short of the period, so an invocation has always ended when the
 * next one is due (with reserved concurrency 1, an overlapping one would be throttled and, with
 * no retries, lost).
 */
export const TICK_TIMEOUT_SECONDS = 57;
/**
 * Between ticks the invocation keeps looking for Nodes and NodeClaims to move along this often,
 * so draining never waits for the next minute.
 */
export const FOLLOW_UP_INTERVAL_MS = 2_000;

export const TickMetrics = {
  passes: 'TickPasses',
  registered: 'NodeClaimsRegistered',
  initialized: 'NodeClaimsInitialized',
  registrationTimedOut: 'NodeClaimsRegistrationTimedOut',
  evictions: 'PodEvictions',
  evictionsBlocked: 'PodEvictionsBlocked',
  terminated: 'NodesAndNodeClaimsTerminated',
  leakedInstances: 'LeakedInstancesTerminated',
  nodeClassesNotReady: 'EC2NodeClassesNotReady',
  failures: 'TickObjectFailures',
  disruptionCommands: 'DisruptionCommandsStarted',
  disrupted: 'NodeClaimsDisrupted',
  expired: 'NodeClaimsExpired',
} as const;
