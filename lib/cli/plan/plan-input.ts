import {
  type EC2NodeClass,
  type ManifestDocument,
  type Node,
  type NodeClaim,
  type Pod,
  type Resources,
  AWS_GROUP,
  Labels,
  expandWorkload,
  formatDocumentLocation,
  toResources,
} from '../../apis/index.ts';
import { allocatable } from '../../cloudprovider/capacity.ts';
import { CloudProviderError } from '../../cloudprovider/errors.ts';
import type { InstanceType } from '../../cloudprovider/types.ts';
import { type SchedulingNodePool, podKey } from '../../scheduling/index.ts';
import {
  BlockingBudgets,
  ClusterSnapshot,
  inFlightStateNode,
  nodeClaimFinder,
  nodeStateNode,
  schedulingNodePool,
  schedulingState,
  type SchedulingState,
  type StateNode,
} from '../../state/index.ts';
import type { Located, PlanObjects } from './plan-documents.ts';

/**
 * The instance types a NodePool may use, given its EC2NodeClass (undefined when not supplied).
 * Throws a CloudProviderError when the class names an AMI family Skyscale cannot serve.
 */
export type InstanceTypesFor = (nodeClass: EC2NodeClass | undefined) => readonly InstanceType[];

export interface PlanInput {
  readonly scheduling: SchedulingState;
  /** Objects that could not be used, with why; printed as warnings. */
  readonly warnings: readonly string[];
  /** Problems that make the input invalid, naming the file, the object and the field. */
  readonly problems: readonly string[];
}

function maxOf(resources: readonly Resources[]): Resources {
  const out: Record<string, number> = {};
  for (const list of resources)
    for (const [name, value] of Object.entries(list)) out[name] = Math.max(out[name] ?? 0, value);
  return out;
}

function minOf(resources: readonly Resources[]): Resources {
  const names = new Set(resources.flatMap((list) => Object.keys(list)));
  const out: Record<string, number> = {};
  for (const name of names) out[name] = Math.min(...resources.map((list) => list[name] ?? 0));
  return out;
}

/**
 * An in-flight NodeClaim's capacity and allocatable: from its status once launched, else
 * estimated from its instance-type options (largest capacity, smallest allocatable).
 */
function claimResources(claim: NodeClaim, options: readonly InstanceType[]) {
  const { status } = claim;
  if (status?.allocatable) {
    return {
      capacity: toResources(status.capacity ?? status.allocatable),
      allocatable: toResources(status.allocatable),
    };
  }
  const named = claim.spec.requirements.find(
    (requirement) => requirement.key === Labels.instanceType && requirement.operator === 'In',
  );
  const candidates = named?.values
    ? options.filter((type) => named.values?.includes(type.name))
    : options;
  return {
    capacity: maxOf(candidates.map((type) => type.capacity)),
    allocatable: minOf(candidates.map(allocatable)),
  };
}

/** Builds the scheduler's input, collecting warnings and problems on the way. */
class PlanInputAssembly {
  readonly warnings: string[] = [];
  readonly problems: string[] = [];
  private readonly typesByPool = new Map<string, readonly InstanceType[]>();

  constructor(
    private readonly objects: PlanObjects,
    private readonly instanceTypesFor: InstanceTypesFor,
  ) {}

  private problem(document: ManifestDocument, message: string): void {
    this.problems.push(`${formatDocumentLocation(document)}: ${message}`);
  }

  /** The objects with a name, each name once; a missing or repeated name is a problem. */
  private named<T extends { metadata: { name?: string | undefined } }>(
    objects: readonly Located<T>[],
  ): (Located<T> & { name: string })[] {
    const first = new Map<string, ManifestDocument>();
    return objects.flatMap((located) => {
      const { name } = located.object.metadata;
      const earlier = name === undefined ? undefined : first.get(name);
      if (!name) this.problem(located.document, 'metadata.name: is required');
      else if (earlier) {
        this.problem(
          located.document,
          `metadata.name: "${name}" is already defined at ${formatDocumentLocation(earlier)}`,
        );
      } else first.set(name, located.document);
      return name && !earlier ? [{ ...located, name }] : [];
    });
  }

  nodePools(): SchedulingNodePool[] {
    const nodeClasses = new Map(
      this.named(this.objects.nodeClasses).map((located) => [located.name, located]),
    );
    return this.named(this.objects.nodePools).flatMap(({ name, object, document }) => {
      const ref = object.spec.template.spec.nodeClassRef;
      if (ref.group !== AWS_GROUP || ref.kind !== 'EC2NodeClass') {
        this.warnings.push(
          `${formatDocumentLocation(document)}: skipped: nodeClassRef ${ref.group}/${ref.kind} is not an EC2NodeClass`,
        );
        return [];
      }
      const nodeClass = nodeClasses.get(ref.name);
      let instanceTypes: readonly InstanceType[];
      try {
        instanceTypes = this.instanceTypesFor(nodeClass?.object);
      } catch (error) {
        if (!nodeClass || !(error instanceof CloudProviderError)) throw error;
        this.problem(nodeClass.document, `spec.amiSelectorTerms: ${error.message}`);
        return [];
      }
      this.typesByPool.set(name, instanceTypes);
      return [schedulingNodePool({ nodePool: object, instanceTypes })];
    });
  }

  /**
   * NodeClaims as the state sees them: those whose Node is given go with it; the others are in
   * flight and take the pods bound to their node.
   */
  stateNodes(nodes: readonly Node[], podsOnNode: Map<string, Pod[]>): StateNode[] {
    const claims = this.named(this.objects.nodeClaims).flatMap(({ object: claim, document }) => {
      if (claim.metadata.labels?.[Labels.nodePool]) return [claim];
      this.problem(
        document,
        `metadata.labels.${Labels.nodePool}: is required to plan around an in-flight NodeClaim`,
      );
      return [];
    });
    const claimOf = nodeClaimFinder(claims);
    const withNodes = nodes.map((node) =>
      nodeStateNode(node, claimOf(node), podsOnNode.get(node.metadata.name) ?? []),
    );
    const given = new Set(withNodes.map(({ nodeClaim }) => nodeClaim));
    const inFlight = claims
      .filter((claim) => !given.has(claim))
      .map((claim) => {
        const nodeName = claim.status?.nodeName;
        const pods = (nodeName && podsOnNode.get(nodeName)) || [];
        if (nodeName) podsOnNode.delete(nodeName);
        const nodePool = claim.metadata.labels?.[Labels.nodePool] ?? '';
        const options = this.typesByPool.get(nodePool) ?? this.instanceTypesFor(undefined);
        return inFlightStateNode(claim, claimResources(claim, options), pods);
      });
    return [...withNodes, ...inFlight];
  }
}

/**
 * Turns the validated objects into the scheduler's input the way a provisioning run does: nodes
 * and NodeClaims being deleted offer no room, and the pods on them that may move now (their
 * budgets and `karpenter.sh/do-not-disrupt` allow it at `now`, epoch ms) are planned again.
 */
export function assemblePlanInput(
  objects: PlanObjects,
  instanceTypesFor: InstanceTypesFor,
  now: number,
): PlanInput {
  const assembly = new PlanInputAssembly(objects, instanceTypesFor);
  const nodePools = assembly.nodePools();
  const nodes = objects.nodes.map(({ object }) => object);
  const pods = objects.pods.map(({ object }) => object);
  const pendingPods: Pod[] = objects.workloads.flatMap(({ object }) => expandWorkload(object));
  const podsOnNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    const nodeName = pod.spec.nodeName;
    if (!nodeName) pendingPods.push(pod);
    else podsOnNode.set(nodeName, [...(podsOnNode.get(nodeName) ?? []), pod]);
  }
  const nodeNames = new Set(nodes.map((node) => node.metadata.name));
  const snapshot = new ClusterSnapshot({
    nodes: assembly.stateNodes(nodes, podsOnNode),
    pods,
    daemonSets: objects.daemonSets.map(({ object }) => object),
    budgets: new BlockingBudgets(objects.podDisruptionBudgets.map(({ object }) => object)),
    nodePools: [],
    unavailableNodePools: [],
  });
  for (const [nodeName, bound] of podsOnNode) {
    if (nodeNames.has(nodeName)) continue;
    assembly.warnings.push(
      `pods ${bound.map(podKey).join(', ')}: ignored: bound to node "${nodeName}", which is not in the input`,
    );
  }
  const scheduling = schedulingState(snapshot, [...pendingPods, ...snapshot.podsToReschedule(now)]);
  return {
    scheduling: { ...scheduling, nodePools },
    warnings: assembly.warnings,
    problems: assembly.problems,
  };
}
