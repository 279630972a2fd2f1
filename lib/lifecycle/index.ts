export {
  collectGarbage,
  LEAKED_INSTANCE_GRACE_MS,
  type GarbageCollectionResult,
} from './garbage-collection.ts';
export { initializationBlocker } from './initialization.ts';
export { registrationTimedOut } from './liveness.ts';
export { nodePoolTotals } from './nodepool-status.ts';
export {
  nextRegistrationHealth,
  REGISTRATION_HISTORY_ANNOTATION,
  REGISTRATION_WINDOW,
  type RegistrationHealth,
} from './registration-health.ts';
export { registeredNode } from './registration.ts';
export {
  runLifecycle,
  type LifecycleOptions,
  type LifecycleResult,
  type ObjectFailure,
} from './run-lifecycle.ts';
export {
  DEFAULT_REGISTRATION_TTL_MS,
  loadLifecycleView,
  type LifecycleDeps,
  type LifecycleView,
} from './types.ts';
export { planDrain, type DrainPlan, type ForcedDeletion } from './termination/drain.ts';
export { runTermination, type TerminationResult } from './termination/run-termination.ts';
