import type { NodeClaim } from '../../apis/index.ts';
import type { KubeEvent } from '../../kube/index.ts';
import { nodeClaimEvent } from '../../provisioning/index.ts';

/** Karpenter's disruption event reasons. */
export const DisruptionEventReasons = {
  blocked: 'DisruptionBlocked',
  launching: 'DisruptionLaunching',
  waitingReadiness: 'DisruptionWaitingReadiness',
  terminating: 'DisruptionTerminating',
  unconsolidatable: 'Unconsolidatable',
} as const;

export function blockedEvent(claim: NodeClaim, reason: string): KubeEvent {
  return nodeClaimEvent(
    claim,
    'Normal',
    DisruptionEventReasons.blocked,
    `Cannot disrupt NodeClaim: ${reason}`,
  );
}

export function unconsolidatableEvent(claim: NodeClaim, reason: string): KubeEvent {
  return nodeClaimEvent(claim, 'Normal', DisruptionEventReasons.unconsolidatable, reason);
}

export function launchingEvent(claim: NodeClaim, reason: string, replacements: number): KubeEvent {
  return nodeClaimEvent(
    claim,
    'Normal',
    DisruptionEventReasons.launching,
    `Launching ${replacements} NodeClaim(s): ${reason}`,
  );
}

export function waitingEvent(claim: NodeClaim): KubeEvent {
  return nodeClaimEvent(
    claim,
    'Normal',
    DisruptionEventReasons.waitingReadiness,
    'Waiting on readiness to continue disruption',
  );
}

export function terminatingEvent(claim: NodeClaim, reason: string): KubeEvent {
  return nodeClaimEvent(
    claim,
    'Normal',
    DisruptionEventReasons.terminating,
    `Disrupting NodeClaim: ${reason}`,
  );
}
