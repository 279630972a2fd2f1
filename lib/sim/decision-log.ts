/** Who made a decision: a Skyscale run, the simulated cloud, the simulated cluster or the scenario. */
export type DecisionSource =
  'scenario' | 'provisioning' | 'lifecycle' | 'interruption' | 'disruption' | 'cloud' | 'cluster';

export interface Decision {
  /** Milliseconds since the start of the simulation. */
  readonly at: number;
  readonly source: DecisionSource;
  readonly message: string;
  /**
   * The line that stands for several decisions alike made at the same moment, `{n}` being their
   * number ("launched {n} × c6a.4xlarge spot in us-east-1a"); absent when it is never grouped.
   */
  readonly group?: string;
}

/** What happened and why, in time order, for the report. */
export class DecisionLog {
  private readonly list: Decision[] = [];

  constructor(private readonly elapsed: () => number) {}

  record(source: DecisionSource, message: string, group?: string): void {
    this.list.push({ at: this.elapsed(), source, message, ...(group !== undefined && { group }) });
  }

  entries(): readonly Decision[] {
    return this.list;
  }
}

/**
 * The decisions as people read them: those of one moment and source that share a group become
 * one line, where the first of them was, saying how many there were.
 */
export function groupedDecisions(decisions: readonly Decision[]): Decision[] {
  const lines: { decision: Decision; count: number }[] = [];
  let moment = new Map<string, { decision: Decision; count: number }>();
  let at: number | undefined;
  for (const decision of decisions) {
    if (decision.at !== at) [at, moment] = [decision.at, new Map()];
    const key = decision.group === undefined ? undefined : `${decision.source} ${decision.group}`;
    const alike = key === undefined ? undefined : moment.get(key);
    if (alike) {
      alike.count += 1;
      continue;
    }
    const line = { decision, count: 1 };
    lines.push(line);
    if (key !== undefined) moment.set(key, line);
  }
  return lines.map(({ decision, count }) => {
    const { group, ...rest } = decision;
    return count > 1 && group !== undefined
      ? { ...rest, message: group.replaceAll('{n}', String(count)) }
      : rest;
  });
}
