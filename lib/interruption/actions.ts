import type { KubeEvent } from '../kube/index.ts';
import type { InterruptionKind } from './messages.ts';

/** Karpenter's two answers: delete the NodeClaim (termination cordons and drains), or only tell. */
export type InterruptionAction = 'CordonAndDrain' | 'NoAction';

export interface InterruptionNotice {
  readonly type: KubeEvent['type'];
  readonly reason: string;
  /** Karpenter's message. */
  readonly message: string;
}

/**
 * What the interruption holds unavailable: the spot offering (type, zone, spot) the instance ran
 * on, or the capacity reservation it ran in.
 */
export type UnavailableOnInterruption = 'spot offering' | 'reservation';

export interface InterruptionResponse {
  readonly action: InterruptionAction;
  /** The Event recorded on the NodeClaim and its Node; absent for NoOp. */
  readonly notice?: InterruptionNotice;
  readonly marksUnavailable?: UnavailableOnInterruption;
}

const warning = (reason: string, message: string): InterruptionNotice => ({
  type: 'Warning',
  reason,
  message,
});

/** What Karpenter does for each kind, with its Event reasons and messages. */
export const InterruptionResponses: Readonly<Record<InterruptionKind, InterruptionResponse>> = {
  SpotInterruption: {
    action: 'CordonAndDrain',
    notice: warning('SpotInterrupted', 'Spot interruption warning was triggered'),
    marksUnavailable: 'spot offering',
  },
  RebalanceRecommendation: {
    action: 'NoAction',
    notice: {
      type: 'Normal',
      reason: 'SpotRebalanceRecommendation',
      message: 'Spot rebalance recommendation was triggered',
    },
  },
  ScheduledChange: {
    action: 'CordonAndDrain',
    notice: warning('InstanceUnhealthy', 'An unhealthy warning was triggered for the instance'),
  },
  InstanceStopped: {
    action: 'CordonAndDrain',
    notice: warning('InstanceStopping', 'Instance is stopping'),
  },
  InstanceTerminated: {
    action: 'CordonAndDrain',
    notice: warning('InstanceTerminating', 'Instance is terminating'),
  },
  CapacityReservationInterruption: {
    action: 'CordonAndDrain',
    notice: warning(
      'CapacityReservationInstanceInterrupted',
      'Capacity reservation interruption warning was triggered',
    ),
    marksUnavailable: 'reservation',
  },
  NoOp: { action: 'NoAction' },
};

/** Recorded when the interruption deletes the NodeClaim, on the claim and on its Node. */
export const TerminatingOnInterruption = {
  reason: 'TerminatingOnInterruption',
  nodeClaimMessage: 'Interruption triggered termination for the NodeClaim',
  nodeMessage: 'Interruption triggered termination for the Node',
} as const;
