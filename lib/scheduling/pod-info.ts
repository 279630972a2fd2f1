import type { Pod, Toleration } from '../apis/index.ts';
import type { Resources } from '../apis/quantity.ts';
import { hostPortsOf, type HostPort } from './host-ports.ts';
import type { Labels } from './label-selector.ts';
import type { TopologyGroup } from './topology-group.ts';

/** A pod with everything the packing loop reads precomputed once. */
export interface PodInfo {
  readonly pod: Pod;
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly requests: Resources;
  readonly requestVector: Float64Array;
  readonly hostPorts: readonly HostPort[];
  readonly tolerations: readonly Toleration[];
  /** Topology groups whose selector selects this pod (filled by `Topology.index`). */
  countedBy: TopologyGroup[];
  /** Required anti-affinities of other pods that select this pod. */
  inverseAntiAffinity: TopologyGroup[];
  /** Anti-affinity groups this pod itself requires. */
  requiredAntiAffinity: TopologyGroup[];
}

export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}

/** The pod with its parsed requests, before `Topology.index` links it to the groups. */
export function podInfo(pod: Pod, requests: Resources, requestVector: Float64Array): PodInfo {
  const key = podKey(pod);
  return {
    pod,
    key,
    namespace: pod.metadata.namespace ?? 'default',
    labels: pod.metadata.labels ?? {},
    requests,
    requestVector,
    hostPorts: hostPortsOf(pod.spec, `pod ${key}`),
    tolerations: pod.spec.tolerations ?? [],
    countedBy: [],
    inverseAntiAffinity: [],
    requiredAntiAffinity: [],
  };
}

/** A copy of `info` without the links to this simulation's topology groups. */
export function unlinked(info: PodInfo): PodInfo {
  return {
    pod: info.pod,
    key: info.key,
    namespace: info.namespace,
    labels: info.labels,
    requests: info.requests,
    requestVector: info.requestVector,
    hostPorts: info.hostPorts,
    tolerations: info.tolerations,
    countedBy: [],
    inverseAntiAffinity: [],
    requiredAntiAffinity: [],
  };
}
