export {
  ClusterSnapshot,
  type ClusterSnapshotParts,
  type ProvisionableNodePool,
  type UnavailableNodePool,
} from './cluster-snapshot.ts';
export {
  BlockingBudgets,
  hasActiveDoNotDisrupt,
  isCurrentlyReschedulable,
  isFullyBlocking,
  podsToReschedule,
} from './currently-reschedulable.ts';
export { loadClusterSnapshot, nodeClaimFinder, type SnapshotSources } from './load-snapshot.ts';
export {
  isBound,
  isOwnedByDaemonSet,
  isProvisionable,
  isReschedulable,
  isStaticPod,
  isTerminal,
  isTerminating,
} from './pod-predicates.ts';
export {
  schedulingInput,
  schedulingObjects,
  schedulingSource,
  type SchedulingObjects,
  type SchedulingOptions,
  type SchedulingSource,
} from './scheduling-input.ts';
export { estimateClaimCapacity, optionsCapacity } from './claim-estimate.ts';
export { NodePoolResources } from './nodepool-resources.ts';
export {
  inFlightStateNode,
  nodeStateNode,
  type EstimatedCapacity,
  type StateNode,
} from './state-node.ts';
export {
  offeringEntryKey,
  offeringOfEntryKey,
  shareUnavailableOfferings,
} from './shared-unavailable-offerings.ts';
