import {
  type EC2NodeClass,
  type DocumentLocation,
  type Node,
  type NodePool,
  type Pod,
  AWS_GROUP,
  Labels,
  expandWorkload,
  formatDocumentLocation,
} from '../../apis/index.ts';
import { CloudProviderError } from '../../cloudprovider/errors.ts';
import type { InstanceType } from '../../cloudprovider/types.ts';
import { podKey } from '../../scheduling/index.ts';
import {
  BlockingBudgets,
  estimateClaimCapacity,
  inFlightStateNode,
  nodeClaimFinder,
  nodeStateNode,
  podsToReschedule,
  schedulingObjects,
  schedulingSource,
  type SchedulingObjects,
  type StateNode,
} from '../../state/index.ts';
import type { Located, PlanObjects } from './plan-documents.ts';

/**
 * The instance types a NodePool may use, given its EC2NodeClass (undefined when not supplied).
 * Throws a CloudProviderError when the class names an AMI family Skyscale cannot serve.
 */
export type InstanceTypesFor = (nodeClass: EC2NodeClass | undefined) => readonly InstanceType[];

export interface PlanInput {
  readonly scheduling: SchedulingObjects;
  /** Objects that could not be used, with why; printed as warnings. */
  readonly warnings: readonly string[];
  /** Problems that make the input invalid, naming the file, the object and the field. */
  readonly problems: readonly string[];
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

  private problem(document: DocumentLocation, message: string): void {
    this.problems.push(`${formatDocumentLocation(document)}: ${message}`);
  }

  /** The objects with a name, each name once; a missing or repeated name is a problem. */
  private named<T extends { metadata: { name?: string | undefined } }>(
    objects: readonly Located<T>[],
  ): (Located<T> & { name: string })[] {
    const first = new Map<string, DocumentLocation>();
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

  nodePools(): { nodePool: NodePool; instanceTypes: readonly InstanceType[] }[] {
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
      return [{ nodePool: object, instanceTypes }];
    });
  }

  /**
   * Nodes with the NodeClaims they were launched for, then the NodeClaims whose Node is not given
   * (in flight), taking the pods bound to their node.
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
        return inFlightStateNode(claim, estimateClaimCapacity(claim, options), pods);
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
  const pendingPods: Pod[] = objects.workloads.flatMap(({ object }) => expandWorkload(object));
  const podsOnNode = new Map<string, Pod[]>();
  for (const { object: pod } of objects.pods) {
    const nodeName = pod.spec.nodeName;
    if (!nodeName) pendingPods.push(pod);
    else podsOnNode.set(nodeName, [...(podsOnNode.get(nodeName) ?? []), pod]);
  }
  const nodeNames = new Set(nodes.map((node) => node.metadata.name));
  const stateNodes = assembly.stateNodes(nodes, podsOnNode);
  for (const [nodeName, pods] of podsOnNode) {
    if (nodeNames.has(nodeName)) continue;
    assembly.warnings.push(
      `pods ${pods.map(podKey).join(', ')}: ignored: bound to node "${nodeName}", which is not in the input`,
    );
  }
  const budgets = new BlockingBudgets(objects.podDisruptionBudgets.map(({ object }) => object));
  const moving = podsToReschedule(stateNodes, budgets, now);
  return {
    scheduling: {
      ...schedulingObjects(
        schedulingSource(
          stateNodes,
          nodePools,
          objects.daemonSets.map(({ object }) => object),
        ),
        [...pendingPods, ...moving],
      ),
      volumes: {
        persistentVolumes: objects.persistentVolumes.map(({ object }) => object),
        persistentVolumeClaims: objects.persistentVolumeClaims.map(({ object }) => object),
        storageClasses: objects.storageClasses.map(({ object }) => object),
      },
    },
    warnings: assembly.warnings,
    problems: assembly.problems,
  };
}
