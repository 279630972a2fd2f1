export {
  collectGarbage,
  LEAKED_INSTANCE_GRACE_MS,
  type GarbageCollectionResult,
} from './garbage-collection.ts';
export {
  runNodeClasses,
  type NodeClassDeletionWait,
  type NodeClassesResult,
  type NodeClassNotReady,
} from './node-classes.ts';
export { isNodeReady } from './initialization.ts';
export { nodePoolTotals } from './nodepool-status.ts';
export { nextRegistrationHealth, REGISTRATION_HISTORY_ANNOTATION } from './registration-health.ts';
export { runLifecycle, type LifecycleOptions, type LifecycleResult } from './run-lifecycle.ts';
export { runTermination, type TerminationResult } from './termination/run-termination.ts';
export {
  DEFAULT_REGISTRATION_TTL_MS,
  loadLifecycleView,
  type LifecycleDeps,
  type LifecycleView,
  type ObjectFailure,
} from './types.ts';
