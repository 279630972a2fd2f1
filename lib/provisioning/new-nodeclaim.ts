import {
  Annotations,
  formatResources,
  Labels,
  NODECLAIM_API_VERSION,
  NODEPOOL_API_VERSION,
  NODEPOOL_HASH_VERSION,
  nodePoolHash,
  TERMINATION_FINALIZER,
  type NodeClaim,
  type NodePool,
} from '../apis/index.ts';
import type { PlannedNodeClaim } from '../scheduling/index.ts';

/**
 * The NodeClaim for a planned claim, as Karpenter stamps it from the NodePool's template: a
 * generated `<nodepool>-` name, the template's labels and annotations plus the NodePool label and
 * hash, an owner reference to the NodePool (so deleting the NodePool deletes its claims), the
 * termination finalizer, and the template spec with the scheduler's narrowed requirements and
 * the requests of the pods and DaemonSets it will run.
 */
export function newNodeClaim(nodePool: NodePool, planned: PlannedNodeClaim): NodeClaim {
  const name = nodePool.metadata.name ?? planned.nodePool;
  const { metadata, spec } = nodePool.spec.template;
  return {
    apiVersion: NODECLAIM_API_VERSION,
    kind: 'NodeClaim',
    metadata: {
      generateName: `${name}-`,
      labels: { ...metadata?.labels, [Labels.nodePool]: name },
      annotations: {
        ...metadata?.annotations,
        [Annotations.nodePoolHash]: nodePoolHash(nodePool),
        [Annotations.nodePoolHashVersion]: NODEPOOL_HASH_VERSION,
      },
      ownerReferences: [
        {
          apiVersion: NODEPOOL_API_VERSION,
          kind: 'NodePool',
          name,
          uid: nodePool.metadata.uid ?? '',
          blockOwnerDeletion: true,
        },
      ],
      finalizers: [TERMINATION_FINALIZER],
    },
    spec: {
      requirements: planned.requirements.map(({ key, operator, values, minValues }) => ({
        key,
        operator,
        ...(values === undefined ? {} : { values: [...values] }),
        ...(minValues === undefined ? {} : { minValues }),
      })),
      taints: spec.taints,
      startupTaints: spec.startupTaints,
      nodeClassRef: spec.nodeClassRef,
      expireAfter: spec.expireAfter,
      terminationGracePeriod: spec.terminationGracePeriod,
      resources: { requests: formatResources(planned.requests) },
    },
  };
}
