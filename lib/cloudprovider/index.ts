export { allocatable, type InstanceType, type Offering, type Overhead } from './types.ts';
export type {
  CloudInstance,
  CloudProvider,
  DriftReason,
  InstanceState,
  LaunchedInstance,
  LaunchInputs,
} from './cloud-provider.ts';
export {
  CloudProviderError,
  InsufficientCapacityError,
  InstanceNotFoundError,
  NodeClassNotReadyError,
} from './errors.ts';
export type { OfferingKey, UnavailableOffering } from './errors.ts';
