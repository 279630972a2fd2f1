/**
 * What `bench:scheduling` runs in each fresh Node process, bundled as the Lambda functions and
 * the CLI are: build Karpenter's benchmark input (not timed), then schedule it once, timing the
 * setup (building the scheduler's world) apart from the solving.
 */
import { prepareSchedule } from '../lib/scheduling/index.ts';
import { benchmarkInput, diversePods, linearInstanceTypes } from './scheduling-fixtures.ts';

export interface ColdRun {
  readonly setupCpuMs: number;
  readonly setupWallMs: number;
  readonly solveCpuMs: number;
  readonly solveWallMs: number;
  readonly nodes: number;
  readonly unschedulable: number;
}

/**
 * CPU milliseconds (user + system) the calling thread has spent since `since` (from
 * `process.threadCpuUsage()`): the work on the scheduler's own path, without the V8 compiler and
 * garbage collector threads running beside it, which the process CPU column reports.
 */
export function cpuSince(since: NodeJS.CpuUsage): number {
  const { user, system } = process.threadCpuUsage(since);
  return (user + system) / 1000;
}

export function coldRun(pods: number): ColdRun {
  const input = benchmarkInput(diversePods(pods), linearInstanceTypes(400));
  const setupCpu = process.threadCpuUsage();
  const setupStart = performance.now();
  const prepared = prepareSchedule(input);
  const setupWallMs = performance.now() - setupStart;
  const setupCpuMs = cpuSince(setupCpu);
  const solveCpu = process.threadCpuUsage();
  const solveStart = performance.now();
  const result = prepared.solve();
  return {
    setupCpuMs,
    setupWallMs,
    solveCpuMs: cpuSince(solveCpu),
    solveWallMs: performance.now() - solveStart,
    nodes: result.newNodeClaims.length,
    unschedulable: result.unschedulable.length,
  };
}
