import type { DisruptionResult } from '../tick/index.ts';
import type { DecisionLog } from './decision-log.ts';

/** What a disruption run did, as one line in the decisions log (nothing when it did nothing). */
export function summariseDisruption(
  log: DecisionLog,
  runId: string,
  result: DisruptionResult,
): void {
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
