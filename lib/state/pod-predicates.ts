import type { Pod } from '../apis/index.ts';

/** The annotation the kubelet puts on the API copy (mirror) of a static pod. */
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

function ownerKinds(pod: Pod): string[] {
  return (pod.metadata.ownerReferences ?? []).map(({ kind }) => kind);
}

export function isOwnedByDaemonSet(pod: Pod): boolean {
  return ownerKinds(pod).includes('DaemonSet');
}

/** A static pod's mirror: owned by its Node, or annotated by the kubelet. */
export function isStaticPod(pod: Pod): boolean {
  return (
    ownerKinds(pod).includes('Node') ||
    pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined
  );
}

export function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function isTerminating(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

export function isBound(pod: Pod): boolean {
  return Boolean(pod.spec.nodeName);
}

function isOwnedByStatefulSet(pod: Pod): boolean {
  return ownerKinds(pod).includes('StatefulSet');
}

/**
 * Karpenter's IsReschedulable: a pod that would need a place elsewhere if its node went away —
 * active (or a terminating StatefulSet pod, whose replacement keeps the same identity), and
 * neither a DaemonSet pod nor a static pod, which stay with their node.
 */
export function isReschedulable(pod: Pod): boolean {
  const active = !isTerminal(pod) && (!isTerminating(pod) || isOwnedByStatefulSet(pod));
  return active && !isOwnedByDaemonSet(pod) && !isStaticPod(pod);
}

/**
 * A pod the provisioner should find room for, as Karpenter's IsProvisionable decides:
 * kube-scheduler marked it `PodScheduled=False` with reason `Unschedulable`, it is not bound, not
 * waiting for a node kube-scheduler preempted pods on for it, not terminating or finished, and it is neither a
 * DaemonSet pod nor a static pod.
 */
export function isProvisionable(pod: Pod): boolean {
  const unschedulable = (pod.status?.conditions ?? []).some(
    ({ type, status, reason }) =>
      type === 'PodScheduled' && status === 'False' && reason === 'Unschedulable',
  );
  return (
    unschedulable &&
    !isBound(pod) &&
    !pod.status?.nominatedNodeName &&
    !isTerminating(pod) &&
    !isTerminal(pod) &&
    !isOwnedByDaemonSet(pod) &&
    !isStaticPod(pod)
  );
}
