export {
  ClusterSnapshot,
  type ClusterSnapshotParts,
  type ProvisionableNodePool,
  type UnavailableNodePool,
} from './cluster-snapshot.ts';
export {
  BlockingBudgets,
  isCurrentlyReschedulable,
  isFullyBlocking,
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
  schedulingNodePool,
  schedulingState,
  type SchedulingOptions,
  type SchedulingState,
} from './scheduling-input.ts';
export {
  inFlightStateNode,
  nodeStateNode,
  type EstimatedCapacity,
  type StateNode,
} from './state-node.ts';
