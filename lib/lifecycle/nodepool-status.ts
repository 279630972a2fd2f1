import {
  EC2NodeClassConditionTypes,
  findCondition,
  formatResources,
  NodePoolConditionTypes,
  setCondition,
  type Condition,
  type EC2NodeClass,
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
import { noMetrics } from '../metrics/index.ts';
import { recordNodePool } from './nodepool-metrics.ts';
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
 * NodeClassReady as Karpenter's NodePool readiness controller sets it: the node class's Ready,
 * with its reason and message when it is not.
 */
export function nodeClassReadiness(
  nodeClass: EC2NodeClass | undefined,
  now: string,
  generation: number | undefined,
): Condition {
  const base = {
    type: NodePoolConditionTypes.nodeClassReady,
    lastTransitionTime: now,
    ...(generation === undefined ? {} : { observedGeneration: generation }),
  };
  if (!nodeClass)
    return {
      ...base,
      status: 'False',
      reason: 'NodeClassNotFound',
      message: 'NodeClass not found on cluster',
    };
  const ready = findCondition(nodeClass.status?.conditions, EC2NodeClassConditionTypes.ready);
  if (ready?.status === 'True') return { ...base, status: 'True', reason: base.type };
  if (ready?.status === 'False')
    return {
      ...base,
      status: 'False',
      reason: ready.reason,
      ...(ready.message ? { message: ready.message } : {}),
    };
  return {
    ...base,
    status: 'False',
    reason: 'NodeClassReadinessUnknown',
    message: 'Node Class Readiness Unknown',
  };
}

/**
 * Writes each NodePool's status (resources, nodes, NodeClassReady, NodeRegistrationHealthy, the node class
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
    const readiness = nodeClassReadiness(nodeClass, now, nodePool.metadata.generation);
    const wasReadiness = findCondition(nodePool.status?.conditions, readiness.type);
    const status: NodePoolStatus = {
      ...nodePool.status,
      ...statusResources(totals.of(name)),
      conditions: setCondition(health.conditions, readiness),
      ...(health.nodeClassObservedGeneration === undefined
        ? {}
        : { nodeClassObservedGeneration: health.nodeClassObservedGeneration }),
    };
    await deps.kube.updateNodePoolStatus(name, (current) => ({ ...current, status }));
    recordNodePool(
      deps.metrics ?? noMetrics,
      nodePool,
      totals.of(name),
      findCondition(status.conditions, NodePoolConditionTypes.nodeRegistrationHealthy)?.status ===
        'False',
    );
    if (readiness.status === 'False' && wasReadiness?.status !== 'False') {
      await deps.kube.recordEvent({
        involvedObject: {
          apiVersion: nodePool.apiVersion,
          kind: nodePool.kind,
          name,
          uid: nodePool.metadata.uid,
        },
        type: 'Warning',
        reason: 'NodeClassNotReady',
        message: `NodePool ${name} cannot launch: ${readiness.message ?? readiness.reason}`,
      });
    }
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
