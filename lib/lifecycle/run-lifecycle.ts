import { Labels, type NodeClaim } from '../apis/index.ts';
import { isLaunched } from '../provisioning/launch.ts';
import { errorMessage, mapWithConcurrency } from '../util/index.ts';
import { initializationBlocker, initializeNodeClaim, isInitialized } from './initialization.ts';
import { registrationTimedOut } from './liveness.ts';
import { noMetrics } from '../metrics/index.ts';
import { recordNodePoolCosts } from './nodepool-cost.ts';
import { nodePoolTotals, updateNodePoolStatuses } from './nodepool-status.ts';
import { isRegistered, registerNodeClaim } from './registration.ts';
import {
  DEFAULT_REGISTRATION_TTL_MS,
  nodeOfClaim,
  type LifecycleDeps,
  type LifecycleView,
  type ObjectFailure,
} from './types.ts';

export interface LifecycleOptions {
  /** How long a launched NodeClaim may take to register. Default {@link DEFAULT_REGISTRATION_TTL_MS}. */
  readonly registrationTtlMs?: number;
  /**
   * Whether to record the NodePools' gauges (usage, limits, registration health, cost per hour):
   * once a tick, where a pass every few seconds would repeat them. Default true.
   */
  readonly nodePoolGauges?: boolean;
}

export interface LifecycleResult {
  readonly registered: readonly string[];
  readonly initialized: readonly string[];
  /** Deleted because their node did not register within the TTL. */
  readonly registrationTimedOut: readonly string[];
  /** Claims whose step failed; the next pass tries again. */
  readonly failures: readonly ObjectFailure[];
}

/** Claims advanced at once: each step is a few writes, well within the bulk client's QPS. */
const CLAIM_CONCURRENCY = 16;

type Step = 'registered' | 'initialized' | 'registrationTimedOut';

/**
 * One claim's next lifecycle step, if any: register it with its Node, initialize it, or delete
 * it when its node never came. Each step is idempotent and guarded by resourceVersions, so a
 * concurrent run at worst repeats it.
 */
async function advance(
  deps: LifecycleDeps,
  claim: NodeClaim,
  nodeOf: ReturnType<typeof nodeOfClaim>,
  ttlMs: number,
): Promise<readonly Step[]> {
  if (claim.metadata.deletionTimestamp || !isLaunched(claim)) return [];
  const node = nodeOf(claim);
  if (!isRegistered(claim)) {
    if (node && !node.metadata.deletionTimestamp) {
      const initialized = await registerNodeClaim(deps, claim, node);
      return initialized ? ['registered', 'initialized'] : ['registered'];
    }
    if (!registrationTimedOut(claim, deps.clock.now(), ttlMs)) return [];
    deps.logger.warn('NodeClaim did not register in time; deleting it', {
      nodeClaim: claim.metadata.name,
      ttlMs,
    });
    await deps.kube.deleteNodeClaim(claim.metadata.name ?? '');
    return ['registrationTimedOut'];
  }
  if (isInitialized(claim) || !node || initializationBlocker(claim, node)) return [];
  await initializeNodeClaim(deps, claim, node);
  return ['initialized'];
}

/**
 * The NodeClaim lifecycle over one view of the cluster: registration, initialization and the
 * registration TTL for every claim, then each NodePool's status (resources, nodes,
 * NodeRegistrationHealthy) and, unless told not to, its gauges. Acts per object, without the Lease.
 */
export async function runLifecycle(
  deps: LifecycleDeps,
  view: LifecycleView,
  options: LifecycleOptions = {},
): Promise<LifecycleResult> {
  const ttlMs = options.registrationTtlMs ?? DEFAULT_REGISTRATION_TTL_MS;
  const nodeOf = nodeOfClaim(view.nodes);
  const steps = { registered: [], initialized: [], registrationTimedOut: [] } as Record<
    Step,
    string[]
  >;
  const failures: ObjectFailure[] = [];
  const outcomes = new Map<string, boolean[]>();
  const advanced = await mapWithConcurrency(view.nodeClaims, CLAIM_CONCURRENCY, async (claim) => {
    try {
      return { claim, done: await advance(deps, claim, nodeOf, ttlMs) };
    } catch (error) {
      return { claim, done: [], error };
    }
  });
  for (const { claim, done, error } of advanced) {
    const name = claim.metadata.name ?? '';
    if (error !== undefined) failures.push({ name, message: errorMessage(error) });
    for (const step of done) {
      steps[step].push(name);
      if (step === 'initialized') continue;
      const nodePool = claim.metadata.labels?.[Labels.nodePool];
      if (nodePool)
        outcomes.set(nodePool, [...(outcomes.get(nodePool) ?? []), step === 'registered']);
    }
  }
  const gauges = options.nodePoolGauges ?? true;
  try {
    const totals = nodePoolTotals(view, new Set(steps.registrationTimedOut));
    await updateNodePoolStatuses(
      gauges ? deps : { ...deps, metrics: noMetrics },
      view,
      totals,
      outcomes,
    );
  } catch (error) {
    failures.push({ name: 'NodePool status', message: errorMessage(error) });
  }
  // Pricing lists instance types: not worth it when nothing records the cost.
  if (gauges && deps.metrics) failures.push(...(await recordNodePoolCosts(deps, view)).failures);
  return { ...steps, failures };
}
