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
  SchedulingVolumes,
  UnschedulablePod,
} from './types.ts';
export { MAX_INSTANCE_TYPES_PER_CLAIM, MAX_SCHEDULING_DEADLINE_MS } from './types.ts';
export { prepareSchedule, schedule } from './scheduler.ts';
export { Requirements } from './requirements.ts';
export { compileSelector, type LabelMatcher } from './label-selector.ts';
export { tolerates } from './taints.ts';
export { podKey } from './pod-info.ts';
export { podRequests } from './resources.ts';
export { daemonSetOverhead, daemonSetRunsOnNode, podSpecRunsOn } from './daemonsets.ts';
export { SimulationCache } from './simulation-cache.ts';
