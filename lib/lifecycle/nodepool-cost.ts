import { Labels, type NodeClaim } from '../apis/index.ts';
import { labelledPrice, type InstanceType } from '../cloudprovider/index.ts';
import { MetricDimension, noMetrics, RunMetrics } from '../metrics/index.ts';
import { isLaunched } from '../provisioning/launch.ts';
import { errorMessage } from '../util/index.ts';
import type { LifecycleDeps, LifecycleView, ObjectFailure } from './types.ts';

export interface NodePoolCosts {
  /** USD per hour by NodePool name. */
  readonly costs: ReadonlyMap<string, number>;
  /** Launched claims whose instance type their NodePool no longer lists: left out of its cost. */
  readonly unpriced: readonly string[];
}

export interface RecordedCosts extends NodePoolCosts {
  /** NodePools whose instance types could not be listed: no cost is recorded for them. */
  readonly failures: readonly ObjectFailure[];
}

const nodePoolOf = (claim: NodeClaim): string | undefined =>
  claim.metadata.labels?.[Labels.nodePool];

/**
 * What each NodePool's launched NodeClaims cost per hour, each at its offering's price (its
 * instance type, zone and capacity type, as consolidation prices nodes). A claim being deleted
 * still counts: its instance runs until its termination finishes.
 */
export function nodePoolCosts(
  nodePools: readonly string[],
  nodeClaims: readonly NodeClaim[],
  instanceTypes: ReadonlyMap<string, readonly InstanceType[]>,
): NodePoolCosts {
  const costs = new Map(nodePools.map((name) => [name, 0]));
  const unpriced: string[] = [];
  for (const claim of nodeClaims.filter(isLaunched)) {
    const nodePool = nodePoolOf(claim);
    if (nodePool === undefined || !costs.has(nodePool)) continue;
    const price = labelledPrice(claim.metadata.labels ?? {}, instanceTypes.get(nodePool) ?? []);
    if (price === undefined) unpriced.push(claim.metadata.name ?? '');
    else costs.set(nodePool, (costs.get(nodePool) ?? 0) + price);
  }
  return { costs, unpriced };
}

/**
 * Records each NodePool's cost per hour. Only NodePools with launched claims list their instance
 * types (cached by the cloud provider); the others cost nothing.
 */
export async function recordNodePoolCosts(
  deps: LifecycleDeps,
  view: LifecycleView,
): Promise<RecordedCosts> {
  const launched = new Set(view.nodeClaims.filter(isLaunched).map(nodePoolOf));
  const failures: ObjectFailure[] = [];
  const listed = await Promise.all(
    view.nodePools.map(async (nodePool) => {
      const name = nodePool.metadata.name ?? '';
      if (!launched.has(name)) return [[name, []] as const];
      const nodeClass = view.nodeClasses.find(
        ({ metadata }) => metadata.name === nodePool.spec.template.spec.nodeClassRef.name,
      );
      try {
        return [[name, await deps.cloud.getInstanceTypes(nodePool, nodeClass)] as const];
      } catch (error) {
        failures.push({ name: `NodePool ${name} cost`, message: errorMessage(error) });
        return [];
      }
    }),
  );
  const instanceTypes = new Map<string, readonly InstanceType[]>(listed.flat());
  const priced = nodePoolCosts([...instanceTypes.keys()], view.nodeClaims, instanceTypes);
  for (const [nodePool, cost] of priced.costs)
    (deps.metrics ?? noMetrics).record(RunMetrics.nodePoolCost, cost, {
      [MetricDimension.nodePool]: nodePool,
    });
  return { ...priced, failures };
}
