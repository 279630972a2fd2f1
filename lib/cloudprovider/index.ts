export type { InstanceType, Offering, Overhead } from './types.ts';
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
