import { instanceCost, type SimulatedInstance } from '../cloudprovider/simulated/index.ts';
import { boundSpentAt, type CostLowerBound } from './cost-lower-bound.ts';
import type { PodRecord } from './pod-ledger.ts';

/** The cluster at one moment, for the charts. Times are milliseconds since the start. */
export interface Sample {
  readonly at: number;
  /** Registered nodes whose instance is running. */
  readonly nodes: number;
  /** Of `nodes`, those on spot instances (the rest are on-demand or reserved). */
  readonly spotNodes: number;
  /** Instances launched that have not registered (yet, or ever). */
  readonly launching: number;
  readonly pendingPods: number;
  /** Pods bound to a node and not yet ended (DaemonSet pods left out); filled in when the run ends. */
  readonly runningPods: number;
  /** USD spent since the start. */
  readonly costUSD: number;
  /** What the cost lower bound of the running pods has accrued since the start; filled in when the run ends. */
  readonly lowerBoundUSD: number;
}

/** The time series the report charts; one sample per simulated instant at which something happened. */
export class Metrics {
  private readonly list: Sample[] = [];

  constructor(private readonly startedAt: number) {}

  sample(now: number, instances: readonly SimulatedInstance[], pendingPods: number): void {
    let nodes = 0;
    let spotNodes = 0;
    let launching = 0;
    let costUSD = 0;
    for (const instance of instances) {
      costUSD += instanceCost(instance, now);
      if (instance.terminatedAt !== undefined) continue;
      if (instance.registersAt !== undefined && instance.registersAt <= now) {
        nodes += 1;
        if (instance.capacityType === 'spot') spotNodes += 1;
      } else launching += 1;
    }
    const at = now - this.startedAt;
    const sample: Sample = {
      at,
      nodes,
      spotNodes,
      launching,
      pendingPods,
      runningPods: 0,
      costUSD,
      lowerBoundUSD: 0,
    };
    if (this.list.at(-1)?.at === sample.at) this.list[this.list.length - 1] = sample;
    else this.list.push(sample);
  }

  /**
   * The samples, each with the pods running at its time (a sweep over the pods' lives) and what
   * the lower bound had accrued by then.
   */
  samples(pods: readonly PodRecord[] = [], bound?: CostLowerBound): readonly Sample[] {
    const changes = pods
      .filter((pod) => !pod.daemonSet && pod.boundAt !== undefined)
      .flatMap((pod): [number, number][] => [
        [pod.boundAt ?? 0, 1],
        ...(pod.endedAt === undefined ? [] : [[pod.endedAt, -1] as [number, number]]),
      ])
      .sort(([a], [b]) => a - b);
    let running = 0;
    let next = 0;
    const boundSpent = bound
      ? boundSpentAt(
          bound,
          this.list.map(({ at }) => at),
        )
      : [];
    return this.list.map((sample, index) => {
      for (; next < changes.length && (changes[next]?.[0] ?? 0) <= sample.at; next++)
        running += changes[next]?.[1] ?? 0;
      return { ...sample, runningPods: running, lowerBoundUSD: boundSpent[index] ?? 0 };
    });
  }
}
