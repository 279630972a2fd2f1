/**
 * The model of EC2 that both cloud adapters follow, the real one (../aws) and the simulated one
 * (../simulated): instance facts, capacity and labels, offering selection, AMI aliases, the
 * embedded catalog and the cache of offerings found out of capacity.
 */
export {
  UNAVAILABLE_OFFERING_TTL_MS,
  UNAVAILABLE_RESERVATION_TTL_MS,
  UnavailableOfferings,
} from './unavailable-offerings.ts';
export type {
  AcceleratorFacts,
  Architecture,
  GpuFacts,
  InstanceFacts,
  InstanceTypeNameParts,
} from './instance-facts.ts';
export { InstanceTypeNameError, instanceTypeNameParts } from './instance-facts.ts';
export { instanceTypeLabels } from './instance-labels.ts';
export type {
  AmiFamily,
  CapacityAndOverhead,
  CapacityOptions,
  KubeletCapacitySettings,
} from './capacity.ts';
export {
  capacityAndOverhead,
  eniLimitedPods,
  extendedResources,
  instanceTypeFromFacts,
  kubeReservedCpu,
  memoryCapacity,
  podCapacity,
} from './capacity.ts';
export { nodeClassCapacityOptions } from './node-class-capacity.ts';
export { nodeClassAmiFamily, parseAlias } from './ami-alias.ts';
export type { LaunchCandidate, LaunchPlan } from './offering-selection.ts';
export {
  compatibleOfferings,
  labelsSatisfy,
  ACCELERATOR_RESOURCES,
  MAX_FLEET_INSTANCE_TYPES,
  planLaunch,
  offeringSatisfies,
} from './offering-selection.ts';
