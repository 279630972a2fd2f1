import type { DaemonSet, Node, Pod } from '../apis/index.ts';
import { Labels } from '../apis/labels.ts';
import { daemonSetRunsOnNode } from '../scheduling/index.ts';
import { isTerminal, isTerminating } from '../state/index.ts';
import { isSchedulableNode } from './binder.ts';

function ownerUid(daemonSet: DaemonSet): string {
  return (
    daemonSet.metadata.uid ??
    `DaemonSet/${daemonSet.metadata.namespace ?? 'default'}/${daemonSet.metadata.name}`
  );
}

/**
 * The pod a DaemonSet runs on a node: its template, pinned to the node by a required node
 * affinity on the hostname (as the DaemonSet controller pins it), for the binder to place.
 */
export function daemonPod(daemonSet: DaemonSet, node: Node): Pod {
  const { metadata, spec } = daemonSet;
  const template = spec.template;
  const pin = {
    matchExpressions: [
      { key: Labels.hostname, operator: 'In' as const, values: [node.metadata.name] },
    ],
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${metadata.name}-${node.metadata.name}`,
      namespace: metadata.namespace ?? 'default',
      ...(template.metadata?.labels ? { labels: { ...template.metadata.labels } } : {}),
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          name: metadata.name,
          uid: ownerUid(daemonSet),
          controller: true,
        },
      ],
    },
    spec: {
      ...template.spec,
      affinity: {
        ...template.spec.affinity,
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [pin] },
        },
      },
    },
    status: { phase: 'Pending' },
  };
}

/** The DaemonSet pods missing from the schedulable nodes they should run on. */
export function missingDaemonPods(
  daemonSets: readonly DaemonSet[],
  nodes: readonly Node[],
  pods: readonly Pod[],
): Pod[] {
  const present = new Set<string>();
  for (const pod of pods) {
    if (isTerminal(pod) || isTerminating(pod)) continue;
    for (const owner of pod.metadata.ownerReferences ?? []) {
      if (owner.kind === 'DaemonSet') present.add(`${owner.uid}/${pod.metadata.name}`);
    }
  }
  return nodes.filter(isSchedulableNode).flatMap((node) =>
    daemonSets
      .filter((daemonSet) => daemonSetRunsOnNode(daemonSet, node))
      .map((daemonSet) => daemonPod(daemonSet, node))
      .filter(
        (pod) =>
          !present.has(`${pod.metadata.ownerReferences?.[0]?.uid ?? ''}/${pod.metadata.name}`),
      ),
  );
}
