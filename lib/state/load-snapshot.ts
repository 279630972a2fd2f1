import type { EC2NodeClass, Node, NodeClaim, NodePool, Pod } from '../apis/index.ts';
import { AWS_GROUP } from '../apis/labels.ts';
import { NodeClassNotReadyError } from '../cloudprovider/errors.ts';
import type { CloudProvider } from '../cloudprovider/cloud-provider.ts';
import type { KubeClient } from '../kube/kube-client-port.ts';
import {
  ClusterSnapshot,
  type ProvisionableNodePool,
  type UnavailableNodePool,
} from './cluster-snapshot.ts';
import { BlockingBudgets } from './currently-reschedulable.ts';
import { isBound } from './pod-predicates.ts';
import { nodeStateNode } from './state-node.ts';

export interface SnapshotSources {
  readonly kube: KubeClient;
  /** Lists each NodePool's instance types; NodeClassNotReadyError leaves the NodePool out of the run. */
  readonly cloud: Pick<CloudProvider, 'getInstanceTypes'>;
}

type NodePoolOutcome = { ready: ProvisionableNodePool } | { unavailable: UnavailableNodePool };

async function nodePoolOutcome(
  nodePool: NodePool,
  nodeClasses: readonly EC2NodeClass[],
  sources: SnapshotSources,
): Promise<NodePoolOutcome> {
  const name = nodePool.metadata.name ?? '';
  if (nodePool.metadata.deletionTimestamp)
    return { unavailable: { name, reason: 'the NodePool is being deleted' } };
  const ref = nodePool.spec.template.spec.nodeClassRef;
  const nodeClass = nodeClasses.find(({ metadata }) => metadata.name === ref.name);
  if (ref.group !== AWS_GROUP || ref.kind !== 'EC2NodeClass' || !nodeClass) {
    return {
      unavailable: {
        name,
        reason: `its node class ${ref.kind}.${ref.group} "${ref.name}" does not exist`,
      },
    };
  }
  try {
    return {
      ready: {
        nodePool,
        nodeClass,
        instanceTypes: await sources.cloud.getInstanceTypes(nodePool, nodeClass),
      },
    };
  } catch (error) {
    if (error instanceof NodeClassNotReadyError)
      return { unavailable: { name, reason: error.message } };
    throw error;
  }
}

function podsByNodeName(pods: readonly Pod[]): Map<string, Pod[]> {
  const byNode = new Map<string, Pod[]>();
  for (const pod of pods.filter(isBound)) {
    const nodeName = pod.spec.nodeName ?? '';
    const bound = byNode.get(nodeName);
    if (bound) bound.push(pod);
    else byNode.set(nodeName, [pod]);
  }
  return byNode;
}

/** Finds the NodeClaim a Node was launched for: by provider ID, else by the node name in its status. */
export function nodeClaimFinder(
  nodeClaims: readonly NodeClaim[],
): (node: Node) => NodeClaim | undefined {
  const byProviderID = new Map(
    nodeClaims.flatMap((claim) =>
      claim.status?.providerID ? [[claim.status.providerID, claim] as const] : [],
    ),
  );
  const byNodeName = new Map(
    nodeClaims.flatMap((claim) =>
      claim.status?.nodeName ? [[claim.status.nodeName, claim] as const] : [],
    ),
  );
  return (node) =>
    byProviderID.get(node.spec?.providerID ?? '') ?? byNodeName.get(node.metadata.name);
}

/**
 * Reads the cluster once for a run. Nodes and NodeClaims are read before pods: a pod bound after
 * the node list was read is seen as bound to a node the snapshot lacks, so the run undershoots
 * for one round instead of counting the same pod both as pending and on a node.
 */
export async function loadClusterSnapshot(sources: SnapshotSources): Promise<ClusterSnapshot> {
  const { kube } = sources;
  const [nodes, nodeClaims] = await Promise.all([kube.listNodes(), kube.listNodeClaims()]);
  const [
    pods,
    daemonSets,
    budgets,
    nodePools,
    nodeClasses,
    persistentVolumes,
    persistentVolumeClaims,
    storageClasses,
  ] = await Promise.all([
    kube.listPods(),
    kube.listDaemonSets(),
    kube.listPodDisruptionBudgets(),
    kube.listNodePools(),
    kube.listEC2NodeClasses(),
    kube.listPersistentVolumes(),
    kube.listPersistentVolumeClaims(),
    kube.listStorageClasses(),
  ]);
  const outcomes = await Promise.all(
    nodePools.items.map((nodePool) => nodePoolOutcome(nodePool, nodeClasses.items, sources)),
  );
  const byNode = podsByNodeName(pods.items);
  const claimOf = nodeClaimFinder(nodeClaims.items);
  const withNodes = nodes.items.map((node) =>
    nodeStateNode(node, claimOf(node), byNode.get(node.metadata.name) ?? []),
  );
  const snapshot = new ClusterSnapshot({
    nodes: withNodes,
    pods: pods.items,
    daemonSets: daemonSets.items,
    budgets: new BlockingBudgets(budgets.items),
    nodePools: outcomes.flatMap((outcome) => ('ready' in outcome ? [outcome.ready] : [])),
    unavailableNodePools: outcomes.flatMap((outcome) =>
      'unavailable' in outcome ? [outcome.unavailable] : [],
    ),
    volumes: {
      persistentVolumes: persistentVolumes.items,
      persistentVolumeClaims: persistentVolumeClaims.items,
      storageClasses: storageClasses.items,
    },
  });
  const claimed = new Set(withNodes.map(({ nodeClaim }) => nodeClaim));
  for (const claim of nodeClaims.items.filter((nodeClaim) => !claimed.has(nodeClaim))) {
    snapshot.addInFlightNodeClaim(claim, byNode.get(claim.status?.nodeName ?? '') ?? []);
  }
  return snapshot;
}
