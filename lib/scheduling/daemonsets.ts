import type { DaemonSet, Node, Taint } from '../apis/index.ts';
import { Labels } from '../apis/labels.ts';
import type { Resources } from '../apis/quantity.ts';
import { hostPortsOf, type HostPort } from './host-ports.ts';
import { Requirements } from './requirements.ts';
import { podRequests, sumResources } from './resources.ts';
import { blockingTaint } from './taints.ts';

export function daemonSetKey(daemonSet: DaemonSet): string {
  return `${daemonSet.metadata.namespace ?? 'default'}/${daemonSet.metadata.name}`;
}

/**
 * Whether the DaemonSet's pod would run on a node with these requirements and taints: it
 * tolerates the taints and its nodeSelector plus one of its required node-affinity terms is
 * compatible. `planned` nodes do not carry well-known labels yet, so those may be undefined.
 */
export function daemonSetRunsOn(
  daemonSet: DaemonSet,
  requirements: Requirements,
  taints: readonly Taint[],
  planned: boolean,
): boolean {
  const spec = daemonSet.spec.template.spec;
  if (blockingTaint(spec.tolerations ?? [], taints, true)) return false;
  const nodeSelector = Requirements.fromLabels(spec.nodeSelector);
  const terms =
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const candidates = terms
    ? terms
        .filter((term) => term.matchExpressions?.length)
        .map((term) =>
          nodeSelector.intersection(Requirements.fromNodeRequirements(term.matchExpressions ?? [])),
        )
    : [nodeSelector];
  return candidates.some((term) => requirements.incompatibility(term, planned) === undefined);
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

/** Requests and host ports of the DaemonSets that will run on such a node. */
export function daemonSetOverhead(
  daemonSets: readonly DaemonSet[],
  requirements: Requirements,
  taints: readonly Taint[],
  planned: boolean,
): DaemonSetOverhead {
  const running = daemonSets.filter((daemonSet) =>
    daemonSetRunsOn(daemonSet, requirements, taints, planned),
  );
  return {
    requests: sumResources(
      ...running.map((daemonSet) => podRequests(daemonSet.spec.template.spec)),
    ),
    hostPorts: running.flatMap((daemonSet) =>
      hostPortsOf(daemonSet.spec.template.spec, `DaemonSet ${daemonSetKey(daemonSet)}`),
    ),
  };
}
