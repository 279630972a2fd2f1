import {
  type EC2NodeClass,
  type Node,
  type NodeClaim,
  type Pod,
  type Requirement,
  AWS_GROUP,
  Labels,
  expandWorkload,
  formatDocumentLocation,
  toResources,
} from '../../apis/index.ts';
import { allocatable } from '../../cloudprovider/capacity.ts';
import { CloudProviderError } from '../../cloudprovider/errors.ts';
import type { InstanceType } from '../../cloudprovider/types.ts';
import {
  type ExistingNode,
  type InFlightNodeClaim,
  type NodeRequirement,
  type SchedulingInput,
  type SchedulingNodePool,
  podKey,
} from '../../scheduling/index.ts';
import type { Located, PlanObjects } from './plan-documents.ts';

/**
 * The instance types a NodePool may use, given its EC2NodeClass (undefined when not supplied).
 * Throws a CloudProviderError when the class names an AMI family Skyscale cannot serve.
 */
export type InstanceTypesFor = (nodeClass: EC2NodeClass | undefined) => readonly InstanceType[];

export interface PlanInput {
  readonly scheduling: Omit<SchedulingInput, 'clock' | 'deadlineMs'>;
  /** Objects that could not be used, with why; printed as warnings. */
  readonly warnings: readonly string[];
  /** Problems that make the input invalid, naming the file, the object and the field. */
  readonly problems: readonly string[];
}

function nodeRequirements(requirements: readonly Requirement[]): NodeRequirement[] {
  return requirements.map(({ key, operator, values, minValues }) => ({
    key,
    operator,
    ...(values === undefined ? {} : { values }),
    ...(minValues === undefined ? {} : { minValues }),
  }));
}

function maxOf(resources: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const list of resources)
    for (const [name, value] of Object.entries(list)) out[name] = Math.max(out[name] ?? 0, value);
  return out;
}

function minOf(resources: readonly Readonly<Record<string, number>>[]): Record<string, number> {
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

/** Turns the validated objects into the scheduler's input. */
export function assemblePlanInput(
  objects: PlanObjects,
  instanceTypesFor: InstanceTypesFor,
): PlanInput {
  const warnings: string[] = [];
  const problems: string[] = [];
  const requireName = ({
    object,
    document,
  }: Located<{ metadata: { name?: string | undefined } }>): string | undefined => {
    if (!object.metadata.name)
      problems.push(`${formatDocumentLocation(document)}: metadata.name: is required`);
    return object.metadata.name;
  };

  const nodeClasses = new Map<string, Located<EC2NodeClass>>();
  for (const located of objects.nodeClasses) {
    const name = requireName(located);
    if (name) nodeClasses.set(name, located);
  }

  const nodePools: SchedulingNodePool[] = [];
  const typesByPool = new Map<string, readonly InstanceType[]>();
  for (const located of objects.nodePools) {
    const name = requireName(located);
    const { template, weight, limits } = located.object.spec;
    const ref = template.spec.nodeClassRef;
    if (!name) continue;
    if (ref.group !== AWS_GROUP || ref.kind !== 'EC2NodeClass') {
      warnings.push(
        `${formatDocumentLocation(located.document)}: skipped: nodeClassRef ${ref.group}/${ref.kind} is not an EC2NodeClass`,
      );
      continue;
    }
    const nodeClass = nodeClasses.get(ref.name);
    let instanceTypes: readonly InstanceType[];
    try {
      instanceTypes = instanceTypesFor(nodeClass?.object);
    } catch (error) {
      if (!nodeClass || !(error instanceof CloudProviderError)) throw error;
      problems.push(
        `${formatDocumentLocation(nodeClass.document)}: spec.amiSelectorTerms: ${error.message}`,
      );
      continue;
    }
    typesByPool.set(name, instanceTypes);
    nodePools.push({
      name,
      ...(weight === undefined ? {} : { weight }),
      ...(template.metadata?.labels ? { labels: template.metadata.labels } : {}),
      requirements: nodeRequirements(template.spec.requirements),
      ...(template.spec.taints ? { taints: template.spec.taints } : {}),
      ...(template.spec.startupTaints ? { startupTaints: template.spec.startupTaints } : {}),
      ...(limits ? { limits: toResources(limits) } : {}),
      instanceTypes,
    });
  }

  const nodes = new Map<string, Node>(
    objects.nodes.map(({ object }) => [object.metadata.name, object]),
  );
  const podsOnNode = new Map<string, Pod[]>();
  const pendingPods: Pod[] = objects.workloads.flatMap(({ object }) => expandWorkload(object));
  for (const { object: pod } of objects.pods) {
    const nodeName = pod.spec.nodeName;
    if (!nodeName) pendingPods.push(pod);
    else podsOnNode.set(nodeName, [...(podsOnNode.get(nodeName) ?? []), pod]);
  }

  const inFlightNodeClaims: InFlightNodeClaim[] = [];
  for (const located of objects.nodeClaims) {
    const name = requireName(located);
    const claim = located.object;
    const nodePool = claim.metadata.labels?.[Labels.nodePool];
    if (!name) continue;
    if (!nodePool) {
      problems.push(
        `${formatDocumentLocation(located.document)}: metadata.labels.${Labels.nodePool}: is required to plan around an in-flight NodeClaim`,
      );
      continue;
    }
    const nodeName = claim.status?.nodeName;
    if (nodeName && nodes.has(nodeName)) continue; // Its Node is given: the node stands for it.
    const options = typesByPool.get(nodePool) ?? instanceTypesFor(undefined);
    inFlightNodeClaims.push({
      name,
      nodePool,
      requirements: nodeRequirements(claim.spec.requirements),
      ...(claim.metadata.labels ? { labels: claim.metadata.labels } : {}),
      ...(claim.spec.taints ? { taints: claim.spec.taints } : {}),
      ...claimResources(claim, options),
      pods: (nodeName && podsOnNode.get(nodeName)) || [],
    });
    if (nodeName) podsOnNode.delete(nodeName);
  }

  const existingNodes: ExistingNode[] = [...nodes.values()].map((node) => ({
    node,
    pods: podsOnNode.get(node.metadata.name) ?? [],
  }));
  for (const [nodeName, pods] of podsOnNode) {
    if (!nodes.has(nodeName))
      warnings.push(
        `pods ${pods.map(podKey).join(', ')}: ignored: bound to node "${nodeName}", which is not in the input`,
      );
  }

  return {
    scheduling: {
      pendingPods,
      existingNodes,
      inFlightNodeClaims,
      nodePools,
      daemonSets: objects.daemonSets.map(({ object }) => object),
    },
    warnings,
    problems,
  };
}
