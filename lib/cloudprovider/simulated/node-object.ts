import type { Node, Taint } from '../../apis/index.ts';
import { formatResources } from '../../apis/quantity.ts';
import type { SimulatedInstance } from './simulated-instance.ts';

/** The node lifecycle controller's taint on a node whose kubelet is not Ready. */
const NOT_READY_TAINT: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };

type NodeCondition = Record<string, string>;

function readyCondition(ready: boolean, now: string): NodeCondition {
  return {
    type: 'Ready',
    status: ready ? 'True' : 'False',
    reason: ready ? 'KubeletReady' : 'KubeletNotReady',
    lastTransitionTime: now,
    lastHeartbeatTime: now,
  };
}

/**
 * The Node an instance's kubelet registers, as a real node looks while it boots: the NodeClaim's
 * labels and taints (from user data), the instance's well-known labels, its capacity and
 * allocatable, not Ready yet, and tainted with the NodeClaim's startup taints and not-ready.
 */
export function registeredNode(instance: SimulatedInstance, now: string): Node {
  const taints = [...instance.taints, ...instance.startupTaints, NOT_READY_TAINT];
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: instance.nodeName, labels: { ...instance.labels } },
    spec: { providerID: instance.providerID, taints },
    status: {
      capacity: formatResources(instance.capacity),
      allocatable: formatResources(instance.allocatable),
      conditions: [readyCondition(false, now)],
    },
  };
}

/** The node once it has booted: Ready, with not-ready and the startup taints lifted (by its agents). */
export interface ReadyNodeChange {
  readonly taints: readonly Taint[];
  readonly conditions: readonly NodeCondition[];
}

export function readyNodeChange(instance: SimulatedInstance, now: string): ReadyNodeChange {
  return { taints: instance.taints, conditions: [readyCondition(true, now)] };
}
