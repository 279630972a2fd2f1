import { z } from 'zod';
import { formatZodIssues } from '../apis/index.ts';
import { DetailTypes, EventSources, HEALTH_CATEGORY, HEALTH_SERVICE } from './constants.ts';

/** What an interruption message means for the instances it names, in Karpenter's kinds. */
export type InterruptionKind =
  | 'SpotInterruption'
  | 'RebalanceRecommendation'
  | 'ScheduledChange'
  | 'InstanceStopped'
  | 'InstanceTerminated'
  | 'CapacityReservationInterruption'
  /** A valid event that asks for nothing (an instance starting, a Health event of another kind). */
  | 'NoOp';

export interface InterruptionMessage {
  /** The EventBridge event ID. */
  readonly id: string;
  readonly kind: InterruptionKind;
  readonly instanceIDs: readonly string[];
  /** When AWS emitted the event, epoch milliseconds. */
  readonly time: number;
}

/** The body is not an event the interruption rules send; the message is failed, never acted on. */
export class InvalidInterruptionMessageError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Not an interruption event: ${problems.join('; ')}`);
    this.name = 'InvalidInterruptionMessageError';
  }
}

const InstanceIdSchema = z.string().regex(/^i-[0-9a-f]{8,17}$/, 'expected an EC2 instance ID');

/** The EventBridge envelope every event shares. */
const envelope = <S extends string, D extends string, T extends z.ZodType>(
  source: S,
  detailType: D,
  detail: T,
) =>
  z.object({
    // Always "0" on the wire, though some of AWS's documented samples leave it out.
    version: z.literal('0').optional(),
    id: z.string().min(1),
    'detail-type': z.literal(detailType),
    source: z.literal(source),
    account: z.string(),
    time: z.iso.datetime({ offset: true }),
    region: z.string().min(1),
    resources: z.array(z.string()),
    detail,
  });

const InstanceDetail = z.object({ 'instance-id': InstanceIdSchema });

const KNOWN_DETAIL_TYPES: readonly string[] = Object.values(DetailTypes);

const EventSchema = z.discriminatedUnion(
  'detail-type',
  [
    envelope(
      EventSources.ec2,
      DetailTypes.spotInterruption,
      InstanceDetail.extend({ 'instance-action': z.string() }),
    ),
    envelope(EventSources.ec2, DetailTypes.rebalanceRecommendation, InstanceDetail),
    envelope(
      EventSources.ec2,
      DetailTypes.stateChange,
      InstanceDetail.extend({ state: z.string().min(1) }),
    ),
    envelope(
      EventSources.health,
      DetailTypes.scheduledChange,
      z.object({
        service: z.string(),
        eventTypeCategory: z.string(),
        affectedEntities: z.array(z.object({ entityValue: z.string() })).default([]),
      }),
    ),
    envelope(
      EventSources.ec2,
      DetailTypes.capacityReservationInterruption,
      InstanceDetail.extend({ 'instance-action': z.string().optional() }),
    ),
  ],
  {
    error: (issue) =>
      issue.path?.at(-1) === 'detail-type' && issue.code === 'invalid_union'
        ? `expected one of ${KNOWN_DETAIL_TYPES.map((type) => JSON.stringify(type)).join(', ')}`
        : undefined,
  },
);
type Event = z.output<typeof EventSchema>;

/** Karpenter's reading of a state change: stopping and stopped, shutting-down and terminated. */
function stateChangeKind(state: string): InterruptionKind {
  if (state === 'stopping' || state === 'stopped') return 'InstanceStopped';
  if (state === 'shutting-down' || state === 'terminated') return 'InstanceTerminated';
  return 'NoOp';
}

function meaning(event: Event): Pick<InterruptionMessage, 'kind' | 'instanceIDs'> {
  switch (event['detail-type']) {
    case DetailTypes.spotInterruption:
      return { kind: 'SpotInterruption', instanceIDs: [event.detail['instance-id']] };
    case DetailTypes.rebalanceRecommendation:
      return { kind: 'RebalanceRecommendation', instanceIDs: [event.detail['instance-id']] };
    case DetailTypes.stateChange:
      return {
        kind: stateChangeKind(event.detail.state),
        instanceIDs: [event.detail['instance-id']],
      };
    case DetailTypes.capacityReservationInterruption:
      return {
        kind: 'CapacityReservationInterruption',
        instanceIDs: [event.detail['instance-id']],
      };
    case DetailTypes.scheduledChange: {
      const { service, eventTypeCategory, affectedEntities } = event.detail;
      if (service !== HEALTH_SERVICE || eventTypeCategory !== HEALTH_CATEGORY)
        return { kind: 'NoOp', instanceIDs: [] };
      // Affected entities of an EC2 event are instance IDs; anything else is not ours to act on.
      const instanceIDs = affectedEntities
        .map(({ entityValue }) => entityValue)
        .filter((value) => InstanceIdSchema.safeParse(value).success);
      return { kind: 'ScheduledChange', instanceIDs };
    }
  }
}

/**
 * Reads one SQS message body: an EventBridge event from one of the interruption rules. Throws
 * InvalidInterruptionMessageError naming every field that is wrong.
 */
export function parseInterruptionMessage(body: string): InterruptionMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new InvalidInterruptionMessageError([`body: not JSON (${String(error)})`]);
  }
  const parsed = EventSchema.safeParse(json);
  if (!parsed.success) throw new InvalidInterruptionMessageError(formatZodIssues(parsed.error));
  const event = parsed.data;
  return { id: event.id, time: Date.parse(event.time), ...meaning(event) };
}
