export {
  allocatable,
  labelledPrice,
  offeringPrice,
  type InstanceType,
  type Offering,
  type Overhead,
} from './types.ts';
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
export {
  freshNotReadyReason,
  isStatusFresh,
  kubernetesTime,
  needsCheckMark,
  nextNodeClassStatus,
  NODE_CLASS_FINALIZER,
  NODE_CLASS_PART_CONDITIONS,
  STATUS_CHECKED_ANNOTATION,
  STATUS_FRESH_MS,
  STATUS_RECHECK_MARK_MS,
  statusNotReadyReason,
} from './node-class-status.ts';
export type {
  NodeClassPartCondition,
  NodeClassProblem,
  NodeClassReconciliation,
} from './node-class-status.ts';
