import type { Node } from '../../apis/index.ts';
import { formatResources } from '../../apis/quantity.ts';
import type { SimulatedInstance } from './simulated-instance.ts';

/**
 * The Node an instance's kubelet registers: the NodeClaim's labels and taints (from user data),
 * the instance's well-known labels, its capacity and allocatable, and Ready. Startup taints are
 * left out: the simulated node agents are ready as soon as the node is.
 */
export function registeredNode(instance: SimulatedInstance, now: string): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: instance.nodeName, labels: { ...instance.labels } },
    spec: {
      providerID: instance.providerID,
      ...(instance.taints.length > 0 ? { taints: [...instance.taints] } : {}),
    },
    status: {
      capacity: formatResources(instance.capacity),
      allocatable: formatResources(instance.allocatable),
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          lastTransitionTime: now,
          lastHeartbeatTime: now,
        },
      ],
    },
  };
}
