import {
  durationMilliseconds,
  Labels,
  Taints,
  TERMINATION_FINALIZER,
  type Node,
  type NodeClaim,
} from '../../apis/index.ts';
import { recordNodeClaimTerminated } from '../../provisioning/nodeclaim-metrics.ts';
import { errorMessage, mapWithConcurrency } from '../../util/index.ts';
import {
  nodeOfClaim,
  type LifecycleDeps,
  type LifecycleView,
  type ObjectFailure,
} from '../types.ts';
import { planDrain } from './drain.ts';
import { terminateInstance } from './instance-termination.ts';

/** Evictions in flight at once on one node. */
const EVICTION_CONCURRENCY = 16;
/** Nodes drained at once: a batch of interruptions or a disruption command drains several. */
const NODE_CONCURRENCY = 10;

const nodeName = (node: Node): string => node.metadata.name;

export interface TerminationResult {
  readonly evicted: number;
  /** Evictions a PodDisruptionBudget refused (HTTP 429); the next pass asks again. */
  readonly blocked: number;
  /** Pods deleted so that they end by their node's terminationGracePeriod. */
  readonly forceDeleted: number;
  /** Nodes still waiting for pods, volumes or their instance. */
  readonly waiting: readonly string[];
  /** Nodes and NodeClaims whose finalizer this pass removed. */
  readonly finished: readonly string[];
  readonly failures: readonly ObjectFailure[];
}

function hasFinalizer(object: Node | NodeClaim): boolean {
  return object.metadata.finalizers?.includes(TERMINATION_FINALIZER) ?? false;
}

function isDeleting(object: Node | NodeClaim): boolean {
  return object.metadata.deletionTimestamp !== undefined && hasFinalizer(object);
}

function withoutFinalizer<T extends Node | NodeClaim>(object: T): T | undefined {
  if (!hasFinalizer(object)) return undefined;
  const finalizers = (object.metadata.finalizers ?? []).filter((f) => f !== TERMINATION_FINALIZER);
  return { ...object, metadata: { ...object.metadata, finalizers } };
}

/** When the node goes whatever its pods: the claim's deletion plus its terminationGracePeriod. */
function nodeDeadline(claim: NodeClaim | undefined, now: number): number | undefined {
  const grace = claim?.spec.terminationGracePeriod;
  if (!grace) return undefined;
  const deletion = claim.metadata.deletionTimestamp;
  return (deletion ? Date.parse(deletion) : now) + durationMilliseconds(grace);
}

/** The disrupted taint keeps new pods off; the label takes the node out of load balancers. */
function tainted(node: Node): Node | undefined {
  const taints = node.spec?.taints ?? [];
  const hasTaint = taints.some(
    ({ key, effect }) => key === Taints.disrupted.key && effect === Taints.disrupted.effect,
  );
  if (hasTaint && node.metadata.labels?.[Labels.excludeFromLoadBalancers]) return undefined;
  return {
    ...node,
    metadata: {
      ...node.metadata,
      labels: { ...node.metadata.labels, [Labels.excludeFromLoadBalancers]: 'karpenter' },
    },
    spec: {
      ...node.spec,
      taints: hasTaint
        ? taints
        : [...taints.filter(({ key }) => key !== Taints.disrupted.key), { ...Taints.disrupted }],
    },
  };
}

class TerminationPass {
  evicted = 0;
  blocked = 0;
  forceDeleted = 0;
  readonly waiting: string[] = [];
  readonly finished: string[] = [];
  readonly failures: ObjectFailure[] = [];

  constructor(private readonly deps: LifecycleDeps) {}

  async attempt(name: string, step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.failures.push({ name, message: errorMessage(error) });
    }
  }

  /**
   * Deleting a NodeClaim deletes its Node, and deleting a Node deletes its NodeClaim, as Karpenter
   * does. Returns the view as the deletions left it, so the pass goes on without reading again.
   */
  async propagateDeletions(view: LifecycleView): Promise<LifecycleView> {
    const nodeOf = nodeOfClaim(view.nodes);
    const deleted = new Set<Node | NodeClaim>();
    const remove = async (object: Node | NodeClaim, action: () => Promise<void>) => {
      await this.attempt(object.metadata.name ?? '', async () => {
        await action();
        deleted.add(object);
      });
    };
    await mapWithConcurrency(view.nodeClaims, NODE_CONCURRENCY, async (claim) => {
      const node = nodeOf(claim);
      if (!node) return;
      if (isDeleting(claim) && !node.metadata.deletionTimestamp)
        await remove(node, () => this.deps.kube.deleteNode(node.metadata.name));
      if (isDeleting(node) && !claim.metadata.deletionTimestamp)
        await remove(claim, () => this.deps.kube.deleteNodeClaim(claim.metadata.name ?? ''));
    });
    if (deleted.size === 0) return view;
    const now = new Date(this.deps.clock.now()).toISOString();
    const after = <T extends Node | NodeClaim>(objects: readonly T[]): T[] =>
      objects.flatMap((object) => {
        if (!deleted.has(object)) return [object];
        // Without the finalizer the apiserver removed it at once.
        if (!hasFinalizer(object)) return [];
        return [{ ...object, metadata: { ...object.metadata, deletionTimestamp: now } }];
      });
    return { ...view, nodes: after(view.nodes), nodeClaims: after(view.nodeClaims) };
  }

  /** Taint, drain, wait for volumes, terminate the instance, release the Node. */
  async terminateNode(nodeName: string, claim: NodeClaim | undefined): Promise<void> {
    const { kube, clock } = this.deps;
    await kube.updateNode(nodeName, tainted);
    const now = clock.now();
    const deadline = nodeDeadline(claim, now);
    const pods = (await kube.listPods({ nodeName })).items;
    const plan = planDrain(pods, deadline, now);
    for (const { pod, gracePeriodSeconds } of plan.forceDelete) {
      await kube.deletePod(
        { namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name },
        { gracePeriodSeconds },
      );
      this.forceDeleted += 1;
    }
    const results = await mapWithConcurrency(plan.evict, EVICTION_CONCURRENCY, (pod) =>
      kube.evictPod({ namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name }),
    );
    this.evicted += results.filter((result) => result === 'evicted').length;
    this.blocked += results.filter((result) => result === 'blocked').length;
    if (plan.waiting > 0) return void this.waiting.push(nodeName);
    const beforeDeadline = deadline === undefined || clock.now() < deadline;
    if (beforeDeadline) {
      const attachments = (await kube.listVolumeAttachments()).items;
      if (attachments.some(({ spec }) => spec.nodeName === nodeName))
        return void this.waiting.push(nodeName);
    }
    if (claim && !(await terminateInstance(this.deps, claim)))
      return void this.waiting.push(nodeName);
    await kube.updateNode(nodeName, withoutFinalizer);
    this.finished.push(nodeName);
  }

  /**
   * A claim with no Node left: terminate its instance, then release it, counted as Karpenter
   * counts terminated NodeClaims (by NodePool and capacity type) unless another run released it
   * first.
   */
  async terminateClaim(claim: NodeClaim): Promise<void> {
    const name = claim.metadata.name ?? '';
    if (!(await terminateInstance(this.deps, claim))) return void this.waiting.push(name);
    let released = false;
    await this.deps.kube.updateNodeClaim(name, (current) => {
      const next = withoutFinalizer(current);
      released = next !== undefined;
      return next;
    });
    this.finished.push(name);
    if (released) recordNodeClaimTerminated(this.deps.metrics, claim);
  }
}

/**
 * Moves every Node and NodeClaim being deleted one step further: Node and NodeClaim deletion
 * follow each other, a deleting Node is tainted and drained (evictions in Karpenter's order,
 * PodDisruptionBudgets respected, pods that would outlast the terminationGracePeriod deleted in
 * time), its VolumeAttachments awaited, its instance terminated and its finalizer removed; a
 * deleting NodeClaim without a Node has its instance terminated and its finalizer removed.
 * Every step is idempotent, so a pass killed anywhere is completed by the next.
 */
export async function runTermination(
  deps: LifecycleDeps,
  loaded: LifecycleView,
): Promise<TerminationResult> {
  const pass = new TerminationPass(deps);
  const view = await pass.propagateDeletions(loaded);
  const nodeOf = nodeOfClaim(view.nodes);
  const claimOfNode = new Map(
    view.nodeClaims.flatMap((claim) => {
      const node = nodeOf(claim);
      return node ? [[node.metadata.name, claim] as const] : [];
    }),
  );
  const remaining = new Set(view.nodes.filter((node) => !isDeleting(node)).map(nodeName));
  await mapWithConcurrency(view.nodes.filter(isDeleting), NODE_CONCURRENCY, async (node) => {
    const name = nodeName(node);
    await pass.attempt(name, () => pass.terminateNode(name, claimOfNode.get(name)));
    if (!pass.finished.includes(name)) remaining.add(name);
  });
  for (const claim of view.nodeClaims.filter(isDeleting)) {
    const node = nodeOf(claim);
    if (node && remaining.has(node.metadata.name)) continue;
    await pass.attempt(claim.metadata.name ?? '', () => pass.terminateClaim(claim));
  }
  const { evicted, blocked, forceDeleted, waiting, finished, failures } = pass;
  return { evicted, blocked, forceDeleted, waiting, finished, failures };
}
