import {
  Annotations,
  Labels,
  NODEPOOL_HASH_VERSION,
  nodePoolHash,
  type EC2NodeClass,
  type NodeClaim,
  type NodePool,
} from '../apis/index.ts';
import type { DriftReason as CloudDriftReason, InstanceType } from '../cloudprovider/index.ts';
import { Requirements } from '../scheduling/index.ts';

/** Why a NodeClaim is Drifted, in Karpenter's words (the condition's reason). */
export type DriftReason =
  | 'NodePoolDrifted'
  | 'RequirementsDrifted'
  | 'InstanceTypeNotFound'
  | 'NodeClassDrift'
  | CloudDriftReason;

/**
 * Static drift: the claim was stamped with its NodePool's template hash when it was created, and
 * the template hashes differently now. Hashes of different versions are never compared, and a
 * claim without the annotations (created by something else) never drifts this way.
 */
export function staticDrift(nodePool: NodePool, claim: NodeClaim): boolean {
  const hash = claim.metadata.annotations?.[Annotations.nodePoolHash];
  const version = claim.metadata.annotations?.[Annotations.nodePoolHashVersion];
  if (hash === undefined || version !== NODEPOOL_HASH_VERSION) return false;
  return hash !== nodePoolHash(nodePool);
}

/**
 * Requirements drift: the claim's labels no longer satisfy its NodePool's requirements.
 * Widening a requirement never drifts a node; narrowing it away from the node's value does.
 */
export function requirementsDrift(nodePool: NodePool, claim: NodeClaim): boolean {
  const labels = Requirements.fromLabels(claim.metadata.labels);
  const wanted = Requirements.fromNodeRequirements(nodePool.spec.template.spec.requirements);
  return labels.incompatibility(wanted, false) !== undefined;
}

/**
 * The claim's instance type is no longer offered by its NodePool, or no offering matches the
 * claim's zone and capacity type (a reserved node may also fall back to on-demand).
 */
export function instanceTypeNotFound(
  instanceTypes: readonly InstanceType[],
  claim: NodeClaim,
): boolean {
  const labels = claim.metadata.labels ?? {};
  const instanceType = instanceTypes.find(({ name }) => name === labels[Labels.instanceType]);
  if (!instanceType) return true;
  const capacityTypes =
    labels[Labels.capacityType] === 'reserved'
      ? ['reserved', 'on-demand']
      : [labels[Labels.capacityType]];
  return !instanceType.offerings.some(
    ({ zone, capacityType }) =>
      (labels[Labels.zone] === undefined || zone === labels[Labels.zone]) &&
      (labels[Labels.capacityType] === undefined || capacityTypes.includes(capacityType)),
  );
}

/**
 * Node class drift: the claim was stamped with its EC2NodeClass's hash when it launched, and the
 * class carries a different hash of the same version now. Without both hashes, or with hashes of
 * different versions, nothing is compared.
 */
export function nodeClassDrift(nodeClass: EC2NodeClass, claim: NodeClaim): boolean {
  const current = nodeClass.metadata.annotations ?? {};
  const launched = claim.metadata.annotations ?? {};
  const [hash, version] = [Annotations.ec2NodeClassHash, Annotations.ec2NodeClassHashVersion];
  if ([current[hash], current[version], launched[hash], launched[version]].includes(undefined))
    return false;
  return current[version] === launched[version] && current[hash] !== launched[hash];
}

export interface DriftInputs {
  readonly nodePool: NodePool;
  /** The NodePool's instance types; undefined when the run could not list them. */
  readonly instanceTypes: readonly InstanceType[] | undefined;
  /** The NodePool's EC2NodeClass; undefined when the run could not read it. */
  readonly nodeClass: EC2NodeClass | undefined;
}

/**
 * Why a launched claim drifted, checking what needs no cloud call, in Karpenter's order: static
 * fields, requirements, instance type, node class hash. The cloud's own checks (AMI, subnet,
 * security groups) come after these and are asked for separately.
 */
export function driftReason(claim: NodeClaim, inputs: DriftInputs): DriftReason | undefined {
  if (staticDrift(inputs.nodePool, claim)) return 'NodePoolDrifted';
  if (requirementsDrift(inputs.nodePool, claim)) return 'RequirementsDrifted';
  if (inputs.instanceTypes && instanceTypeNotFound(inputs.instanceTypes, claim))
    return 'InstanceTypeNotFound';
  if (inputs.nodeClass && nodeClassDrift(inputs.nodeClass, claim)) return 'NodeClassDrift';
  return undefined;
}
