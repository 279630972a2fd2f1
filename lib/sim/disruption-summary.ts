import type { DisruptionResult } from '../tick/index.ts';
import type { DecisionLog } from './decision-log.ts';

/** A NodeClaim the disruption run took out of service: a command's candidate, or expired. */
export interface DisruptionRecord {
  /** Milliseconds since the start of the simulation. */
  readonly at: number;
  readonly nodeClaim: string;
  /** Drifted, Empty, Underutilized or Expired. */
  readonly reason: string;
}

/** Every disruption, in time order, for the report and the scenario checks. */
export class DisruptionRecords {
  private readonly list: DisruptionRecord[] = [];

  constructor(private readonly elapsed: () => number) {}

  /** Records what the run disrupted. */
  add(result: DisruptionResult): void {
    const at = this.elapsed();
    for (const nodeClaim of result.expired) this.list.push({ at, nodeClaim, reason: 'Expired' });
    for (const { reason, candidates } of result.commands)
      for (const nodeClaim of candidates) this.list.push({ at, nodeClaim, reason });
  }

  entries(): readonly DisruptionRecord[] {
    return this.list;
  }
}

/** What a disruption run did, as one line in the decisions log (nothing when it did nothing). */
export function summariseDisruption(
  log: DecisionLog,
  records: DisruptionRecords,
  runId: string,
  result: DisruptionResult,
): void {
  records.add(result);
  const { orchestration, commands } = result;
  const parts = [
    ...result.expired.map((name) => `NodeClaim ${name} expired; deleted`),
    ...(orchestration?.deleted ?? []).map(
      (name) => `replacements ready; deleted NodeClaim ${name}`,
    ),
    ...(orchestration?.rolledBack ?? []).map(
      ({ name, reason }) => `rolled back ${name}: ${reason}`,
    ),
    ...commands.map(
      (command) =>
        `${command.reason}: disrupting ${command.candidates.join(', ')}` +
        (command.replacements.length > 0 ? `, launching ${command.replacements.join(', ')}` : ''),
    ),
    result.abandoned ? `command abandoned: ${result.abandoned}` : '',
  ].filter(Boolean);
  if (parts.length > 0) log.record('disruption', `${runId}: ${parts.join('; ')}`);
}
