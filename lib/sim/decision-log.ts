/** Who made a decision: a Skyscale run, the simulated cloud, the simulated cluster or the scenario. */
export type DecisionSource =
  'scenario' | 'provisioning' | 'lifecycle' | 'disruption' | 'cloud' | 'cluster';

export interface Decision {
  /** Milliseconds since the start of the simulation. */
  readonly at: number;
  readonly source: DecisionSource;
  readonly message: string;
}

/** What happened and why, in time order, for the report. */
export class DecisionLog {
  private readonly list: Decision[] = [];

  constructor(private readonly elapsed: () => number) {}

  record(source: DecisionSource, message: string): void {
    this.list.push({ at: this.elapsed(), source, message });
  }

  entries(): readonly Decision[] {
    return this.list;
  }
}
