export type {
  ExistingNode,
  InFlightNodeClaim,
  InstanceTypeOption,
  NodePlacement,
  NodeRequirement,
  PlannedNodeClaim,
  PreferencePolicy,
  SchedulingInput,
  SchedulingNodePool,
  SchedulingResult,
  UnschedulablePod,
} from './types.ts';
export { MAX_INSTANCE_TYPES_PER_CLAIM, MAX_SCHEDULING_DEADLINE_MS } from './types.ts';
export { schedule } from './scheduler.ts';
