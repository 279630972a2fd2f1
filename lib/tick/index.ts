export {
  FOLLOW_UP_INTERVAL_MS,
  TICK_PERIOD_SECONDS,
  TICK_TIMEOUT_SECONDS,
  TickEnvironment,
  TickEventFields,
  TickMetrics,
} from './constants.ts';
export {
  runGarbageCollection,
  runNodeClassPass,
  runObjectPass,
  runSafetyNet,
  runTick,
  type ObjectPass,
  type TickOptions,
  type TickResult,
} from './run-tick.ts';
export { podStartupDurations, recordPodStartups, type TimeWindow } from './pod-startup.ts';
export {
  runDisruption,
  type DisruptionOptions,
  type DisruptionResult,
} from './disruption/run-disruption.ts';
