import {
  formatResources,
  type NodePool,
  type NodePoolStatus,
  type Resources,
} from '../apis/index.ts';
import {
  inFlightStateNode,
  NodePoolResources,
  nodeStateNode,
  type StateNode,
} from '../state/index.ts';
import { nextRegistrationHealth, REGISTRATION_HISTORY_ANNOTATION } from './registration-health.ts';
import { nodeOfClaim, type LifecycleDeps, type LifecycleView } from './types.ts';

const NOTHING_REPORTED = { capacity: {}, allocatable: {} };

/**
 * Each NodePool's capacity and node count: its Nodes and in-flight NodeClaims, less those being
 * deleted (and `deleted`, the claims this pass deleted). Computed through the same before/after
 * accounting the runs use, so marking and unmarking a node always restores the totals.
 */
export function nodePoolTotals(
  view: LifecycleView,
  deleted: ReadonlySet<string> = new Set(),
): NodePoolResources {
  const totals = new NodePoolResources();
  const nodeOf = nodeOfClaim(view.nodes);
  const claimed = new Map(view.nodeClaims.map((claim) => [nodeOf(claim), claim] as const));
  const add = (state: StateNode, claimName: string | undefined): void =>
    totals.update(undefined, {
      ...state,
      markedForDeletion:
        state.markedForDeletion || (claimName !== undefined && deleted.has(claimName)),
    });
  for (const node of view.nodes) {
    const claim = claimed.get(node);
    add(nodeStateNode(node, claim, []), claim?.metadata.name);
  }
  for (const claim of view.nodeClaims.filter((nodeClaim) => !nodeOf(nodeClaim)))
    add(inFlightStateNode(claim, NOTHING_REPORTED, []), claim.metadata.name);
  return totals;
}

function statusResources(resources: Resources): Pick<NodePoolStatus, 'resources' | 'nodes'> {
  return { resources: formatResources({ nodes: 0, ...resources }), nodes: resources['nodes'] ?? 0 };
}

/**
 * Writes each NodePool's status (resources, nodes, NodeRegistrationHealthy, the node class
 * generation it observed) and its registration history; an update that changes nothing writes
 * nothing. `outcomes` maps NodePool names to this pass's registration outcomes.
 */
export async function updateNodePoolStatuses(
  deps: LifecycleDeps,
  view: LifecycleView,
  totals: NodePoolResources,
  outcomes: ReadonlyMap<string, readonly boolean[]>,
): Promise<void> {
  const now = new Date(deps.clock.now()).toISOString();
  for (const nodePool of view.nodePools) {
    const name = nodePool.metadata.name ?? '';
    const nodeClass = view.nodeClasses.find(
      ({ metadata }) => metadata.name === nodePool.spec.template.spec.nodeClassRef.name,
    );
    const health = nextRegistrationHealth(nodePool, nodeClass, outcomes.get(name) ?? [], now);
    const status: NodePoolStatus = {
      ...nodePool.status,
      ...statusResources(totals.of(name)),
      conditions: health.conditions,
      ...(health.nodeClassObservedGeneration === undefined
        ? {}
        : { nodeClassObservedGeneration: health.nodeClassObservedGeneration }),
    };
    await deps.kube.updateNodePoolStatus(name, (current) => ({ ...current, status }));
    if (nodePool.metadata.annotations?.[REGISTRATION_HISTORY_ANNOTATION] !== health.history)
      await deps.kube.updateNodePool(name, (current) => withHistory(current, health.history));
  }
}

function withHistory(nodePool: NodePool, history: string): NodePool {
  return {
    ...nodePool,
    metadata: {
      ...nodePool.metadata,
      annotations: { ...nodePool.metadata.annotations, [REGISTRATION_HISTORY_ANNOTATION]: history },
    },
  };
}
