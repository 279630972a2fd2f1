import { groupedDecisions } from './decision-log.ts';
import type { CostLine, InstanceTypeLine, NodePoolLine, SimulationReport } from './report.ts';

/** `1h02m05s` for a number of seconds. */
export function formatElapsed(seconds: number): string {
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0)
    return `${hours}h${String(minutes).padStart(2, '0')}m${String(rest).padStart(2, '0')}s`;
  if (minutes > 0) return `${minutes}m${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}

export function formatUSD(amount: number): string {
  return `$${amount.toFixed(amount < 1 ? 4 : 2)}`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].map((text) => `  ${text}`);
}

/** `1.18 ×`, or `n/a` when no pod ran to give a bound. */
export function formatRatio(ratio: number | null): string {
  return ratio === null ? 'n/a' : `${ratio.toFixed(2)} ×`;
}

/** The cost against its lower bound, as both reports show it: over the run, then at the end. */
export function lowerBoundLines(cost: CostLine): string[] {
  return [
    `Lower bound: ${formatUSD(cost.lowerBoundUSD)} (the running pods packed fractionally onto the cheapest offerings the NodePools allow); the run cost ${formatRatio(cost.ratioToLowerBound)} it`,
    `At the end: ${formatUSD(cost.end.perHourUSD)} per hour against a bound of ${formatUSD(cost.end.lowerBoundPerHourUSD)} per hour (${formatRatio(cost.end.ratioToLowerBound)})`,
  ];
}

/** The cells of an instance-type row, as both reports show it. */
export function instanceTypeCells(line: InstanceTypeLine): string[] {
  return [
    line.instanceType,
    line.capacityType,
    String(line.launched),
    String(line.terminated),
    formatUSD(line.costUSD),
  ];
}

/** The cells of a NodePool row, as both reports show it. */
export function nodePoolCells(line: NodePoolLine): string[] {
  return [
    line.nodePool,
    String(line.launched),
    String(line.running),
    formatUSD(line.costUSD),
    line.podHours.toFixed(1),
  ];
}

/** The terminal's width the report fits. */
export const REPORT_COLUMNS = 100;

/**
 * `text` broken at spaces into lines of at most `columns`, the later ones indented by `indent`
 * spaces; a word longer than a line is left whole.
 */
export function wrapLine(text: string, columns: number, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    const prefix = lines.length === 0 ? '' : ' '.repeat(indent);
    if (line !== '' && prefix.length + candidate.length > columns) {
      lines.push(prefix + line);
      line = word;
    } else line = candidate;
  }
  lines.push((lines.length === 0 ? '' : ' '.repeat(indent)) + line);
  return lines;
}

const DECISION_INDENT = 2 + 9 + 2 + 12 + 2;

/**
 * The terminal report, fitting 100 columns: the decisions log first, alike decisions of one
 * moment on one line, then the summary (nodes, cost, pods, pending time, unschedulable pods,
 * disruptions, interruptions, runs), so the summary is what stays on screen.
 */
export function renderReportText(report: SimulationReport, decisionsShown = 60): string {
  const { nodes, cost, pendingTime, pods } = report;
  const decisions = groupedDecisions(report.decisions);
  const fit = (text: string, indent = 4) => wrapLine(text, REPORT_COLUMNS, indent);
  const lines = [
    ...fit(
      `Scenario ${report.scenario.name}: ${formatElapsed(report.durationSeconds)} simulated${report.scenario.description ? ` (${report.scenario.description})` : ''}`,
    ),
    '',
    `Decisions (${report.decisions.length}${decisions.length > decisionsShown ? `, first ${decisionsShown} lines shown; -o json has all` : ''}):`,
    ...decisions
      .slice(0, decisionsShown)
      .flatMap(({ at, source, message }) =>
        fit(
          `  ${formatElapsed(at / 1000).padStart(9)}  ${source.padEnd(12)}  ${message}`,
          DECISION_INDENT,
        ),
      ),
    '',
    `Runs: ${
      Object.entries(report.runs)
        .map(([name, count]) => `${name} ×${count}`)
        .join(', ') || 'none'
    }`,
    '',
    report.disruptions.length === 0
      ? 'Disruptions: none'
      : `Disruptions: ${report.disruptions.map(({ reason, nodeClaims }) => `${reason} ${nodeClaims}`).join(', ')}`,
    '',
    report.interruptions.length === 0
      ? 'Spot interruptions: none'
      : `Spot interruptions: ${report.interruptions.length}`,
    ...report.interruptions.flatMap(
      ({ instanceId, instanceType, zone, nodePool, warnedAtSeconds }) =>
        fit(
          `  ${formatElapsed(warnedAtSeconds)}  ${instanceId} (${instanceType} spot in ${zone}, NodePool ${nodePool})`,
        ),
    ),
    '',
    pods.unschedulable.length === 0
      ? 'Unschedulable pods: none'
      : `Unschedulable pods: ${pods.unschedulable.length}`,
    ...pods.unschedulable.slice(0, 20).flatMap(({ pod, reason }) => fit(`  ${pod}: ${reason}`)),
    ...(pods.unschedulable.length > 20 ? [`  … and ${pods.unschedulable.length - 20} more`] : []),
    '',
    `Nodes: ${nodes.launched} launched, ${nodes.terminated} terminated`,
    ...table(
      ['INSTANCE TYPE', 'CAPACITY', 'LAUNCHED', 'TERMINATED', 'COST'],
      nodes.byInstanceType.map(instanceTypeCells),
    ),
    '',
    `Cost: ${formatUSD(cost.totalUSD)} over the run, ${formatUSD(cost.perHourUSD)} per hour`,
    ...lowerBoundLines(cost).flatMap((line) => fit(line)),
    ...table(
      ['NODEPOOL', 'NODES', 'RUNNING', 'COST', 'POD-HOURS'],
      report.nodePools.map(nodePoolCells),
    ),
    ...report.nodePools.flatMap(({ nodePool, conditions }) =>
      fit(`NodePool ${nodePool} at the end: ${conditions.join(', ') || 'no conditions'}`),
    ),
    '',
    `Pods: ${pods.created} created, ${pods.scheduled} scheduled`,
    ...fit(
      `Pending time (${pendingTime.pods} pods, ${pendingTime.neverScheduled} never scheduled, counted until the end): p50 ${formatElapsed(pendingTime.p50Seconds)}, p95 ${formatElapsed(pendingTime.p95Seconds)}, max ${formatElapsed(pendingTime.maxSeconds)}`,
    ),
  ];
  return lines.join('\n');
}
