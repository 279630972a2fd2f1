import type { InstanceTypeLine, NodePoolLine, SimulationReport } from './report.ts';

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

/** The terminal summary: nodes, cost, pending time, unschedulable pods and the decisions log. */
export function renderReportText(report: SimulationReport, decisionsShown = 60): string {
  const { nodes, cost, pendingTime, pods } = report;
  const lines = [
    `Scenario ${report.scenario.name}: ${formatElapsed(report.durationSeconds)} simulated${report.scenario.description ? ` (${report.scenario.description})` : ''}`,
    '',
    `Nodes: ${nodes.launched} launched, ${nodes.terminated} terminated`,
    ...table(
      ['INSTANCE TYPE', 'CAPACITY', 'LAUNCHED', 'TERMINATED', 'COST'],
      nodes.byInstanceType.map(instanceTypeCells),
    ),
    '',
    `Cost: ${formatUSD(cost.totalUSD)} over the run, ${formatUSD(cost.perHourUSD)} per hour`,
    ...table(
      ['NODEPOOL', 'NODES', 'RUNNING', 'COST', 'POD-HOURS'],
      report.nodePools.map(nodePoolCells),
    ),
    ...report.nodePools.map(
      ({ nodePool, conditions }) =>
        `NodePool ${nodePool} at the end: ${conditions.join(', ') || 'no conditions'}`,
    ),
    '',
    `Pods: ${pods.created} created, ${pods.scheduled} scheduled`,
    `Pending time (${pendingTime.pods} pods, ${pendingTime.neverScheduled} never scheduled, counted until the end): p50 ${formatElapsed(pendingTime.p50Seconds)}, p95 ${formatElapsed(pendingTime.p95Seconds)}, max ${formatElapsed(pendingTime.maxSeconds)}`,
    '',
    pods.unschedulable.length === 0
      ? 'Unschedulable pods: none'
      : `Unschedulable pods: ${pods.unschedulable.length}`,
    ...pods.unschedulable.slice(0, 20).map(({ pod, reason }) => `  ${pod}: ${reason}`),
    ...(pods.unschedulable.length > 20 ? [`  … and ${pods.unschedulable.length - 20} more`] : []),
    '',
    report.interruptions.length === 0
      ? 'Spot interruptions: none'
      : `Spot interruptions: ${report.interruptions.length}`,
    ...report.interruptions.map(
      ({ instanceId, instanceType, zone, nodePool, warnedAtSeconds }) =>
        `  ${formatElapsed(warnedAtSeconds)}  ${instanceId} (${instanceType} spot in ${zone}, NodePool ${nodePool})`,
    ),
    '',
    report.disruptions.length === 0
      ? 'Disruptions: none'
      : `Disruptions: ${report.disruptions.map(({ reason, nodeClaims }) => `${reason} ${nodeClaims}`).join(', ')}`,
    '',
    `Runs: ${
      Object.entries(report.runs)
        .map(([name, count]) => `${name} ×${count}`)
        .join(', ') || 'none'
    }`,
    '',
    `Decisions (${report.decisions.length}${report.decisions.length > decisionsShown ? `, first ${decisionsShown} shown; -o json has all` : ''}):`,
    ...report.decisions
      .slice(0, decisionsShown)
      .map(
        ({ at, source, message }) =>
          `  ${formatElapsed(at / 1000).padStart(9)}  ${source.padEnd(12)}  ${message}`,
      ),
  ];
  return lines.join('\n');
}
