import type { DaemonSet, Node, PodSpec, Taint } from '../apis/index.ts';
import { INSTANCE_TYPE_LABELS, Labels } from '../apis/labels.ts';
import type { Resources } from '../apis/quantity.ts';
import { hostPortsOf, type HostPort } from './host-ports.ts';
import { typeLabelAllows, type InstanceTypeTable } from './instance-types.ts';
import { Requirements } from './requirements.ts';
import { podRequests, ResourceSpace, sumResources } from './resources.ts';
import { blockingTaint } from './taints.ts';

export function daemonSetKey(daemonSet: DaemonSet): string {
  return `${daemonSet.metadata.namespace ?? 'default'}/${daemonSet.metadata.name}`;
}

/**
 * Whether the DaemonSet's pod would run on a node with these requirements and taints (see
 * {@link podSpecRunsOn}).
 */
export function daemonSetRunsOn(
  daemonSet: DaemonSet,
  requirements: Requirements,
  taints: readonly Taint[],
  planned: boolean,
): boolean {
  return podSpecRunsOn(daemonSet.spec.template.spec, requirements, taints, planned);
}

/**
 * Whether a pod with this spec may run on a node with these requirements and taints: it
 * tolerates the taints and its nodeSelector plus one of its required node-affinity terms is
 * compatible. `planned` nodes do not carry well-known labels yet, so those may be undefined.
 */
export function podSpecRunsOn(
  spec: Pick<PodSpec, 'nodeSelector' | 'affinity' | 'tolerations'>,
  requirements: Requirements,
  taints: readonly Taint[],
  planned: boolean,
): boolean {
  if (blockingTaint(spec.tolerations ?? [], taints, true)) return false;
  return nodeTerms(spec).some((term) => requirements.incompatibility(term, planned) === undefined);
}

/** The pod's strict node requirements: its nodeSelector ANDed into each required node-affinity term. */
function nodeTerms(spec: Pick<PodSpec, 'nodeSelector' | 'affinity'>): Requirements[] {
  const nodeSelector = Requirements.fromLabels(spec.nodeSelector);
  const terms =
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return terms
    ? terms
        .filter((term) => term.matchExpressions?.length)
        .map((term) =>
          nodeSelector.intersection(Requirements.fromNodeRequirements(term.matchExpressions ?? [])),
        )
    : [nodeSelector];
}

export interface DaemonSetRequestsByType {
  /** Requests of the DaemonSets that run on every instance type alike. */
  readonly shared: Float64Array;
  /**
   * Requests of the DaemonSets whose node requirements name instance labels (an arm64-only agent
   * counts only against arm64 types), as a flat vector per type of the table; undefined when
   * there are none.
   */
  readonly perType: Float64Array | undefined;
}

function namesInstanceLabel(term: Requirements): boolean {
  for (const key of term.keys()) if (INSTANCE_TYPE_LABELS.has(key)) return true;
  return false;
}

/** The requests of `running` (DaemonSets that run on a new NodeClaim with `requirements`), split by whether they depend on the instance type. */
export function daemonSetRequestsByType(
  running: readonly DaemonSet[],
  requirements: Requirements,
  table: InstanceTypeTable,
  space: ResourceSpace,
): DaemonSetRequestsByType {
  const shared = new Float64Array(space.size);
  const dependent: { terms: Requirements[]; requests: Float64Array }[] = [];
  for (const daemonSet of running) {
    const requests = space.vector(podRequests(daemonSet.spec.template.spec));
    const terms = nodeTerms(daemonSet.spec.template.spec).filter(
      (term) => requirements.incompatibility(term, true) === undefined,
    );
    if (terms.some(namesInstanceLabel)) dependent.push({ terms, requests });
    else ResourceSpace.addInto(shared, requests);
  }
  if (dependent.length === 0) return { shared, perType: undefined };
  const width = space.size;
  const perType = new Float64Array(table.types.length * width);
  table.types.forEach(({ labels }, index) => {
    const slot = perType.subarray(index * width, (index + 1) * width);
    for (const { terms, requests } of dependent) {
      const runs = terms.some((term) =>
        [...term.values()].every((requirement) => typeLabelAllows(requirement, labels)),
      );
      if (runs) ResourceSpace.addInto(slot, requests);
    }
  });
  return { shared, perType };
}

/** Whether the DaemonSet controller runs a pod of the DaemonSet on this Node. */
export function daemonSetRunsOnNode(daemonSet: DaemonSet, node: Node): boolean {
  const requirements = Requirements.fromLabels({
    [Labels.hostname]: node.metadata.name,
    ...node.metadata.labels,
  });
  return daemonSetRunsOn(daemonSet, requirements, node.spec?.taints ?? [], false);
}

export interface DaemonSetOverhead {
  readonly requests: Resources;
  readonly hostPorts: readonly HostPort[];
}

/** The DaemonSets that will run on such a node. */
export function runningDaemonSets(
  daemonSets: readonly DaemonSet[],
  requirements: Requirements,
  taints: readonly Taint[],
  planned: boolean,
): DaemonSet[] {
  return daemonSets.filter((daemonSet) =>
    daemonSetRunsOn(daemonSet, requirements, taints, planned),
  );
}

export function daemonSetHostPorts(running: readonly DaemonSet[]): HostPort[] {
  return running.flatMap((daemonSet) =>
    hostPortsOf(daemonSet.spec.template.spec, `DaemonSet ${daemonSetKey(daemonSet)}`),
  );
}

/** Requests and host ports of the DaemonSets that will run on such a node. */
export function daemonSetOverhead(
  daemonSets: readonly DaemonSet[],
  requirements: Requirements,
  taints: readonly Taint[],
  planned: boolean,
): DaemonSetOverhead {
  const running = runningDaemonSets(daemonSets, requirements, taints, planned);
  return {
    requests: sumResources(
      ...running.map((daemonSet) => podRequests(daemonSet.spec.template.spec)),
    ),
    hostPorts: daemonSetHostPorts(running),
  };
}
