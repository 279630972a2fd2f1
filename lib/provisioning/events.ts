import { NODECLAIM_API_VERSION, type NodeClaim, type Pod } from '../apis/index.ts';
import type { KubeClient, KubeEvent } from '../kube/index.ts';
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

/** `target` is `nodeclaim/<name>` or `node/<name>`, as Karpenter words it. */
export function nominatedEvent(pod: Pod, target: string): KubeEvent {
  return podEvent(pod, 'Normal', 'Nominated', `Pod should schedule on: ${target}`);
}

export function failedSchedulingEvent(pod: Pod, reason: string): KubeEvent {
  return podEvent(pod, 'Warning', 'FailedScheduling', `Failed to schedule pod, ${reason}`);
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

/** Records the events side by side; the KubeClient treats each as best effort, as client-go's recorder does. */
export async function publishEvents(kube: KubeClient, events: readonly KubeEvent[]): Promise<void> {
  await Promise.all(events.map((event) => kube.recordEvent(event)));
}
