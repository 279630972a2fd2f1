export type { PlanArguments, PlanOutputFormat } from './plan-arguments.ts';
export { DEFAULT_PLAN_REGION, parsePlanArguments } from './plan-arguments.ts';
export { planJsonLines } from './plan-json.ts';
export type { PlanReport, PlannedNodeClaimReport } from './plan-report.ts';
export { renderPlanText } from './plan-text.ts';
export type { PlanOutcome } from './run-plan.ts';
export { PlanInputError, runPlan } from './run-plan.ts';
