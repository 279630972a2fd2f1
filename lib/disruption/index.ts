export {
  allowedDisruptions,
  budgetAllows,
  disruptionBudgetMapping,
  isBudgetActive,
} from './budgets.ts';
export {
  disruptionCandidates,
  type BlockedNode,
  type Candidate,
  type CandidateInputs,
  type DisruptionClass,
} from './candidates.ts';
export {
  withinBudget,
  type Command,
  type DisruptionMethod,
  type MethodContext,
} from './command.ts';
export {
  consolidatableFrom,
  isConsolidatable,
  isDrifted,
  podSetFingerprint,
  withConsolidatable,
  withDrifted,
} from './conditions.ts';
export { CronError, nextFiring, parseCron, type CronSchedule } from './cron.ts';
export {
  driftReason,
  instanceTypeNotFound,
  nodeClassDrift,
  requirementsDrift,
  staticDrift,
  type DriftInputs,
  type DriftReason,
} from './drift.ts';
export { driftMethod } from './drift-method.ts';
export {
  cheaperOnDemandReplacement,
  cheaperSpotReplacement,
  MIN_SPOT_TO_SPOT_OPTIONS,
  type PriceBound,
} from './cheaper-replacement.ts';
export {
  candidatePrice,
  computeConsolidation,
  consolidationCandidate,
  type ConsolidationOutcome,
} from './consolidation.ts';
export { byDisruptionCost, disruptionCost } from './disruption-cost.ts';
export {
  firstNConsolidation,
  MAX_MULTI_NODE_CANDIDATES,
  MULTI_NODE_CONSOLIDATION_TIMEOUT_MS,
  multiNodeConsolidationMethod,
} from './multi-node-consolidation.ts';
export {
  MIN_SAVINGS_ANNOTATION,
  requiredSavings,
  savingsThreshold,
  type SavingsThreshold,
} from './savings-threshold.ts';
export {
  SINGLE_NODE_CONSOLIDATION_TIMEOUT_MS,
  singleNodeConsolidationMethod,
} from './single-node-consolidation.ts';
export { UnseenNodePools } from './unseen-node-pools.ts';
export { emptinessMethod } from './emptiness.ts';
export { expiredClaims, expiresAt } from './expiration.ts';
export { methodContext, type MethodContextInputs } from './method-context.ts';
export { DISRUPTION_METHODS, firstCommand } from './methods.ts';
export {
  DisruptionAnnotations,
  isBeingDisrupted,
  orchestrationSteps,
  replacedNames,
  REPLACEMENT_TIMEOUT_MS,
  type OrchestrationStep,
} from './orchestration.ts';
export { allRunningPodsScheduled, simulateWithout, unscheduledReason } from './simulation.ts';
export { COMMAND_VALIDATION_DELAY_MS, validateCommand, type Validation } from './validation.ts';
