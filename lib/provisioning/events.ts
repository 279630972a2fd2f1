import { NODECLAIM_API_VERSION, type NodeClaim, type Pod } from '../apis/index.ts';
import type { KubeEvent } from '../kube/index.ts';
import type { ThrottledEvent } from './event-recorder.ts';
import type { LaunchOutcome } from './launch.ts';

function podEvent(pod: Pod, type: KubeEvent['type'], reason: string, message: string): KubeEvent {
  const { name, namespace, uid } = pod.metadata;
  return {
    involvedObject: { apiVersion: 'v1', kind: 'Pod', name, namespace: namespace ?? 'default', uid },
    type,
    reason,
    message,
  };
}

export function nodeClaimEvent(
  nodeClaim: NodeClaim,
  type: KubeEvent['type'],
  reason: string,
  message: string,
): KubeEvent {
  const { name, uid } = nodeClaim.metadata;
  return {
    involvedObject: { apiVersion: NODECLAIM_API_VERSION, kind: 'NodeClaim', name: name ?? '', uid },
    type,
    reason,
    message,
  };
}

/** Shared by every Nominated event, as Karpenter's pod nomination rate limiter is. */
const POD_NOMINATION_RATE_LIMIT = { name: 'pod-nomination', limits: { qps: 5, burst: 10 } };
const FAILED_SCHEDULING_DEDUPE_TIMEOUT_MS = 5 * 60_000;

function podIdentity({ metadata }: Pod): string {
  return metadata.uid ?? `${metadata.namespace ?? 'default'}/${metadata.name}`;
}

/**
 * `target` is `nodeclaim/<name>` or `node/<name>`, as Karpenter words it. Once per pod in two
 * minutes, and at most 5 a second (10 at once) across pods: enough to tell the story.
 */
export function nominatedEvent(pod: Pod, target: string): ThrottledEvent {
  return {
    ...podEvent(pod, 'Normal', 'Nominated', `Pod should schedule on: ${target}`),
    throttle: { dedupeValues: [podIdentity(pod)], rateLimit: POD_NOMINATION_RATE_LIMIT },
  };
}

/** Once per pod in five minutes. */
export function failedSchedulingEvent(pod: Pod, reason: string): ThrottledEvent {
  return {
    ...podEvent(pod, 'Warning', 'FailedScheduling', `Failed to schedule pod, ${reason}`),
    throttle: {
      dedupeValues: [podIdentity(pod)],
      dedupeTimeoutMs: FAILED_SCHEDULING_DEDUPE_TIMEOUT_MS,
    },
  };
}

export function launchEvent(outcome: LaunchOutcome): KubeEvent | undefined {
  switch (outcome.kind) {
    case 'launched': {
      const { providerID, instanceType, zone, capacityType } = outcome.instance;
      return nodeClaimEvent(
        outcome.nodeClaim,
        'Normal',
        'Launched',
        `Launched ${instanceType} (${capacityType}) in ${zone} as ${providerID}`,
      );
    }
    case 'deleted':
      return nodeClaimEvent(
        outcome.nodeClaim,
        'Warning',
        outcome.reason,
        `${outcome.message}; deleted the NodeClaim so its pods are planned again`,
      );
    case 'failed':
      return undefined;
  }
}
