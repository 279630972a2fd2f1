import type { Pod } from '../apis/index.ts';
import type { HostPort } from './host-ports.ts';
import type { PodInfo } from './pod-info.ts';
import { ResourceSpace } from './resources.ts';

/** What the running pods of one node (or the pods nominated to a claim) take from it. */
export interface BoundPods {
  /** The pods still running: not Succeeded or Failed. */
  readonly pods: readonly Pod[];
  /** Their requests, summed. */
  readonly requests: Float64Array;
  readonly hostPorts: readonly HostPort[];
  /** `namespace/name` of the DaemonSets that already have a pod among them. */
  readonly daemonSets: ReadonlySet<string>;
  /** Whether one of them requires anti-affinity, which keeps matching pods away from it. */
  readonly antiAffinity: boolean;
}

export function isRunning({ status }: Pod): boolean {
  return status?.phase !== 'Succeeded' && status?.phase !== 'Failed';
}

/** Sums what `infos` (the node's running pods, parsed) take. */
export function boundPods(infos: readonly PodInfo[], space: ResourceSpace): BoundPods {
  const requests = new Float64Array(space.size);
  const hostPorts: HostPort[] = [];
  const daemonSets = new Set<string>();
  let antiAffinity = false;
  for (const { pod, namespace, requestVector, hostPorts: ports } of infos) {
    ResourceSpace.addInto(requests, requestVector);
    hostPorts.push(...ports);
    for (const owner of pod.metadata.ownerReferences ?? [])
      if (owner.kind === 'DaemonSet') daemonSets.add(`${namespace}/${owner.name}`);
    antiAffinity ||=
      (pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [])
        .length > 0;
  }
  return { pods: infos.map(({ pod }) => pod), requests, hostPorts, daemonSets, antiAffinity };
}
