import type { Clock } from '../util/clock.ts';
import { toResources, type Node, type Pod } from '../apis/index.ts';
import { schedule, type ExistingNode } from '../scheduling/index.ts';
import { isBound, isOwnedByDaemonSet, isTerminal, isTerminating } from '../state/index.ts';

export interface Binding {
  readonly pod: Pod;
  readonly nodeName: string;
}

export interface BinderDecision {
  readonly bindings: readonly Binding[];
  readonly unschedulable: readonly { readonly pod: Pod; readonly reason: string }[];
}

const NO_EXISTING_NODE = 'no existing node fits the pod';

/** A node kube-scheduler would place pods on: registered, Ready and not being deleted. */
export function isSchedulableNode(node: Node): boolean {
  const conditions =
    (node.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ??
    [];
  return (
    !node.metadata.deletionTimestamp &&
    conditions.some(({ type, status }) => type === 'Ready' && status === 'True')
  );
}

export function isPending(pod: Pod): boolean {
  return !isBound(pod) && !isTerminal(pod) && !isTerminating(pod);
}

function placementPass(
  pendingPods: readonly Pod[],
  existingNodes: readonly ExistingNode[],
  clock: Clock,
): BinderDecision {
  if (pendingPods.length === 0) return { bindings: [], unschedulable: [] };
  // kube-scheduler keeps no room for DaemonSets: their pods exist (and are placed first) by now.
  const result = schedule({
    pendingPods,
    existingNodes,
    inFlightNodeClaims: [],
    nodePools: [],
    daemonSets: [],
    clock,
  });
  // With no NodePool, "nothing fits" is the scheduler's whole answer; say it as kube-scheduler does.
  const noRoom = `0/${existingNodes.length} nodes are available`;
  return {
    bindings: result.existingNodes.flatMap(({ name, pods }) =>
      pods.map((pod) => ({ pod, nodeName: name })),
    ),
    unschedulable: [
      ...result.unschedulable.map(({ pod, reason }) => ({
        pod,
        reason: reason.startsWith(NO_EXISTING_NODE) ? noRoom : reason,
      })),
      ...result.notAttempted.map((pod) => ({
        pod,
        reason: 'not attempted before the scheduling deadline',
      })),
    ],
  };
}

/**
 * kube-scheduler's placement of pending pods on the Nodes that exist, decided by the same
 * predicates Skyscale's scheduler uses (requirements, taints, resources, host ports, topology):
 * the scheduler is asked to place the pods with no NodePool to launch from, so every pod it
 * places lands on an existing node and every other pod gets its reason. DaemonSet pods go
 * first, as their node-critical priority would put them.
 */
export function decideBindings(
  pods: readonly Pod[],
  nodes: readonly Node[],
  clock: Clock,
): BinderDecision {
  const pending = pods.filter(isPending);
  if (pending.length === 0) return { bindings: [], unschedulable: [] };
  const byNode = new Map<string, Pod[]>();
  const bindTo = (nodeName: string, pod: Pod): void => {
    const onNode = byNode.get(nodeName);
    if (onNode) onNode.push(pod);
    else byNode.set(nodeName, [pod]);
  };
  for (const pod of pods) if (isBound(pod)) bindTo(pod.spec.nodeName ?? '', pod);
  const schedulable = nodes.filter(isSchedulableNode);
  const existing = (): ExistingNode[] =>
    schedulable.map((node) => ({
      node,
      allocatable: toResources(node.status?.allocatable),
      pods: byNode.get(node.metadata.name) ?? [],
    }));

  const daemons = placementPass(pending.filter(isOwnedByDaemonSet), existing(), clock);
  for (const { pod, nodeName } of daemons.bindings) bindTo(nodeName, pod);
  const workloads = placementPass(
    pending.filter((pod) => !isOwnedByDaemonSet(pod)),
    existing(),
    clock,
  );
  return {
    bindings: [...daemons.bindings, ...workloads.bindings],
    unschedulable: [...daemons.unschedulable, ...workloads.unschedulable],
  };
}
