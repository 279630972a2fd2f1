export { BATCH_IDLE_MS, BATCH_MAX_MS } from './batch-window.ts';
export type { Decision, DecisionSource } from './decision-log.ts';
export { groupedDecisions } from './decision-log.ts';
export type { Sample } from './metrics.ts';
export type { PodRecord } from './pod-ledger.ts';
export { ProgressBar, type ProgressBarOptions } from './progress-bar.ts';
export { buildReport, percentile, type SimulationReport } from './report.ts';
export { renderReportHtml } from './report-html.ts';
export { formatRatio, renderReportText, REPORT_COLUMNS, wrapLine } from './report-text.ts';
export { ScenarioError, loadScenario, parseScenario } from './scenario-loader.ts';
export type { Scenario, TimelineStep } from './scenario-schema.ts';
export {
  simulate,
  type SimulationOptions,
  type SimulationResult,
  type SimulationWorld,
} from './simulation.ts';
export type { CloudEvent, RunContext, SimulatedRun, SimulationRuns } from './simulation-runs.ts';
export { skyscaleRuns } from './skyscale-runs.ts';
