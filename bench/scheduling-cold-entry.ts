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

function cpuMs(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}

export function coldRun(pods: number): ColdRun {
  const input = benchmarkInput(diversePods(pods), linearInstanceTypes(400));
  const setupCpu = process.cpuUsage();
  const setupStart = performance.now();
  const prepared = prepareSchedule(input);
  const setupWallMs = performance.now() - setupStart;
  const setupCpuMs = cpuMs(setupCpu);
  const solveCpu = process.cpuUsage();
  const solveStart = performance.now();
  const result = prepared.solve();
  return {
    setupCpuMs,
    setupWallMs,
    solveCpuMs: cpuMs(solveCpu),
    solveWallMs: performance.now() - solveStart,
    nodes: result.newNodeClaims.length,
    unschedulable: result.unschedulable.length,
  };
}
