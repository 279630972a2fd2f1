import { instanceCost, type SimulatedInstance } from '../cloudprovider/simulated/index.ts';

/** The cluster at one moment, for the charts. Times are milliseconds since the start. */
export interface Sample {
  readonly at: number;
  /** Registered nodes whose instance is running. */
  readonly nodes: number;
  /** Instances launched that have not registered (yet, or ever). */
  readonly launching: number;
  readonly pendingPods: number;
  /** USD spent since the start. */
  readonly costUSD: number;
}

/** The time series the report charts; one sample per simulated instant at which something happened. */
export class Metrics {
  private readonly list: Sample[] = [];

  constructor(private readonly startedAt: number) {}

  sample(now: number, instances: readonly SimulatedInstance[], pendingPods: number): void {
    let nodes = 0;
    let launching = 0;
    let costUSD = 0;
    for (const instance of instances) {
      costUSD += instanceCost(instance, now);
      if (instance.terminatedAt !== undefined) continue;
      if (instance.registersAt !== undefined && instance.registersAt <= now) nodes += 1;
      else launching += 1;
    }
    const sample: Sample = { at: now - this.startedAt, nodes, launching, pendingPods, costUSD };
    if (this.list.at(-1)?.at === sample.at) this.list[this.list.length - 1] = sample;
    else this.list.push(sample);
  }

  samples(): readonly Sample[] {
    return this.list;
  }
}
