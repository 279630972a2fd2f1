export type { InstanceType, Offering, Overhead } from './types.ts';
export type {
  CloudInstance,
  CloudProvider,
  DriftReason,
  InstanceState,
  LaunchedInstance,
} from './cloud-provider.ts';
export {
  CloudProviderError,
  InsufficientCapacityError,
  InstanceNotFoundError,
  NodeClassNotReadyError,
} from './errors.ts';
export type { OfferingKey } from './errors.ts';
export { UNAVAILABLE_OFFERING_TTL_MS, UnavailableOfferings } from './unavailable-offerings.ts';
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
  allocatable,
  capacityAndOverhead,
  eniLimitedPods,
  extendedResources,
  instanceTypeFromFacts,
  kubeReservedCpu,
  memoryCapacity,
  podCapacity,
} from './capacity.ts';
export type { InstanceTypeFile } from './instance-type-file.ts';
export {
  InstanceTypeFileError,
  InstanceTypeFileSchema,
  instanceTypesFromFile,
  parseInstanceTypeFile,
} from './instance-type-file.ts';
export { nodeClassCapacityOptions } from './node-class-capacity.ts';
export { nodeClassAmiFamily, parseAlias } from './ami-alias.ts';
export type { LaunchCandidate, LaunchPlan } from './offering-selection.ts';
export {
  compatibleOfferings,
  labelsSatisfy,
  MAX_FLEET_INSTANCE_TYPES,
  planLaunch,
  offeringSatisfies,
} from './offering-selection.ts';
