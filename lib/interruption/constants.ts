/**
 * The EventBridge rules that feed the interruption queue, and the interruption function's
 * settings. Shared by the CDK stack and the parser, so a rule never sends what the parser does
 * not read. infra/ may import this file (it holds constants only).
 */

export const DetailTypes = {
  spotInterruption: 'EC2 Spot Instance Interruption Warning',
  rebalanceRecommendation: 'EC2 Instance Rebalance Recommendation',
  stateChange: 'EC2 Instance State-change Notification',
  scheduledChange: 'AWS Health Event',
  capacityReservationInterruption: 'EC2 Capacity Reservation Instance Interruption Warning',
} as const;

export const EventSources = { ec2: 'aws.ec2', health: 'aws.health' } as const;

/** AWS Health events about EC2 maintenance: the only Health events the rule lets through. */
export const HEALTH_SERVICE = 'EC2';
export const HEALTH_CATEGORY = 'scheduledChange';

export interface InterruptionEventPattern {
  readonly source: readonly string[];
  readonly 'detail-type': readonly string[];
  readonly detail?: Readonly<Record<string, readonly string[]>>;
}

/** One EventBridge rule per pattern, as Karpenter's CloudFormation template has them. */
export const InterruptionEventPatterns = {
  spotInterruption: {
    source: [EventSources.ec2],
    'detail-type': [DetailTypes.spotInterruption],
  },
  rebalanceRecommendation: {
    source: [EventSources.ec2],
    'detail-type': [DetailTypes.rebalanceRecommendation],
  },
  stateChange: {
    source: [EventSources.ec2],
    'detail-type': [DetailTypes.stateChange],
  },
  scheduledChange: {
    source: [EventSources.health],
    'detail-type': [DetailTypes.scheduledChange],
    detail: { service: [HEALTH_SERVICE], eventTypeCategory: [HEALTH_CATEGORY] },
  },
  capacityReservationInterruption: {
    source: [EventSources.ec2],
    'detail-type': [DetailTypes.capacityReservationInterruption],
  },
} as const satisfies Record<string, InterruptionEventPattern>;

/** Events are stale after five minutes (a spot warning gives two): the queue keeps them no longer. */
export const INTERRUPTION_QUEUE_RETENTION_SECONDS = 300;
/** Messages per invocation, as Karpenter receives them. */
export const INTERRUPTION_BATCH_SIZE = 10;
/** Deliveries before a message that keeps failing (malformed) goes to the dead-letter queue. */
export const INTERRUPTION_MAX_RECEIVE_COUNT = 3;
/** The interruption function's timeout: a batch deletes, drains a first pass and signals. */
export const INTERRUPTION_TIMEOUT_SECONDS = 60;

/** CloudWatch (EMF) metric names of the interruption function. */
export const InterruptionMetrics = {
  messages: 'InterruptionMessages',
  invalidMessages: 'InterruptionMessagesInvalid',
  ignoredMessages: 'InterruptionMessagesIgnored',
  failedMessages: 'InterruptionMessagesFailed',
  nodeClaimsDeleted: 'NodeClaimsDeletedOnInterruption',
} as const;
