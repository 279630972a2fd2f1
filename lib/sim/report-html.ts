import { groupedDecisions } from './decision-log.ts';
import type { SimulationReport } from './report.ts';
import {
  formatElapsed,
  formatRatio,
  formatUSD,
  instanceTypeCells,
  lowerBoundLines,
  nodePoolCells,
} from './report-text.ts';
import { barChart, escapeHtml, lineChart } from './svg-chart.ts';

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:2rem auto;max-width:820px;padding:0 .75rem;color:#1d2733}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.1rem;margin-top:2rem}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.75rem}
.summary div{background:#f3f6f9;border-radius:6px;padding:.6rem}.summary b{display:block;font-size:1.2rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.2rem .5rem;border-bottom:1px solid #e3e8ee}
td{overflow-wrap:break-word}th{overflow-wrap:normal;word-break:keep-all;vertical-align:bottom}.table{overflow-x:auto}
.plot{overflow-x:auto}.chart{width:100%;min-width:640px;height:auto}.chart text{font-size:12px;fill:#44505c}.chart .axis-title{font-size:12px;fill:#1d2733}.chart .heading{font-size:13px;fill:#1d2733}.grid{stroke:#e3e8ee}
.decisions{font-family:ui-monospace,monospace;font-size:12px;max-height:24rem;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere}
`;

/** A time axis label: `h:mm` since the start. */
function clockTime(milliseconds: number): string {
  const totalMinutes = Math.round(milliseconds / 60_000);
  return `${Math.floor(totalMinutes / 60)}:${String(totalMinutes % 60).padStart(2, '0')}`;
}

const MINUTE = 60_000;
const TIME_STEPS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720].map(
  (count) => count * MINUTE,
);

/** Whole-minute labels for a time axis, at most six of them. */
function timeTicks(maxMs: number): number[] {
  const step = TIME_STEPS.find((candidate) => maxMs / candidate <= 6) ?? maxMs;
  return Array.from({ length: Math.floor(maxMs / step) + 1 }, (_, index) => index * step);
}

/** A chart keeps a legible size on a narrow screen and scrolls sideways instead. */
function plot(svg: string): string {
  return `<div class="plot">${svg}</div>`;
}

function rows(cells: readonly (readonly string[])[]): string {
  return cells
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('');
}

/** A self-contained page (inline CSS and SVG, nothing fetched) with the report's charts and tables. */
export function renderReportHtml(report: SimulationReport): string {
  const { samples } = report;
  const markers = report.decisions.flatMap(({ at, source, message }) => {
    if (source === 'disruption') return [{ x: at, kind: 'disruption', color: '#b03a48' }];
    if (/spot interruption warning/.test(message))
      return [{ x: at, kind: 'spot interruption', color: '#e0a100' }];
    return [];
  });
  const timeAxis = {
    formatX: clockTime,
    xTicks: timeTicks,
    xTitle: 'time since start (h:mm)',
    markers,
  };
  const nodesChart = lineChart({
    id: 'nodes',
    title: 'Nodes over time, by capacity type',
    stepped: true,
    ...timeAxis,
    yTitle: 'nodes',
    wholeY: true,
    formatY: (value) => String(value),
    series: [
      {
        name: 'spot (Ready)',
        color: '#2f6fdb',
        points: samples.map(({ at, spotNodes }) => [at, spotNodes]),
      },
      {
        name: 'on-demand (Ready)',
        color: '#1d3f7a',
        points: samples.map(({ at, nodes, spotNodes }) => [at, nodes - spotNodes]),
      },
      {
        name: 'launching',
        color: '#8fb3ee',
        points: samples.map(({ at, launching }) => [at, launching]),
      },
    ],
  });
  const podsChart = lineChart({
    id: 'pods',
    title: 'Pods over time',
    stepped: true,
    ...timeAxis,
    yTitle: 'pods',
    wholeY: true,
    formatY: (value) => String(value),
    series: [
      {
        name: 'running',
        color: '#2c9b63',
        points: samples.map(({ at, runningPods }) => [at, runningPods]),
      },
      {
        name: 'pending',
        color: '#d9822b',
        points: samples.map(({ at, pendingPods }) => [at, pendingPods]),
      },
    ],
  });
  const costChart = lineChart({
    id: 'cost',
    title: 'Cost over time (USD)',
    stepped: false,
    ...timeAxis,
    yTitle: 'USD spent',
    formatY: (value) => `$${value.toFixed(value < 10 ? 2 : 0)}`,
    series: [
      {
        name: 'cost so far (USD)',
        color: '#7a5cc7',
        points: samples.map(({ at, costUSD }) => [at, costUSD]),
      },
      {
        name: 'lower bound so far (USD)',
        color: '#2c9b63',
        points: samples.map(({ at, lowerBoundUSD }) => [at, lowerBoundUSD]),
      },
    ],
  });
  const poolChart = barChart({
    id: 'nodepools',
    title: 'Cost by NodePool (USD)',
    color: '#7a5cc7',
    format: formatUSD,
    bars: report.nodePools.map(({ nodePool, costUSD }) => ({ label: nodePool, value: costUSD })),
  });
  const { nodes, cost, pendingTime, pods } = report;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Skyscale simulation: ${escapeHtml(report.scenario.name)}</title><style>${STYLE}</style></head>
<body>
<h1>Skyscale simulation: ${escapeHtml(report.scenario.name)}</h1>
<p>${escapeHtml(report.scenario.description ?? '')} ${escapeHtml(formatElapsed(report.durationSeconds))} simulated from ${escapeHtml(report.start)}.</p>
<div class="summary">
<div>Nodes launched<b>${nodes.launched}</b></div><div>Cost<b>${escapeHtml(formatUSD(cost.totalUSD))}</b>${escapeHtml(formatUSD(cost.perHourUSD))}/hour</div>
<div>Pending p50 / p95<b>${escapeHtml(formatElapsed(pendingTime.p50Seconds))} / ${escapeHtml(formatElapsed(pendingTime.p95Seconds))}</b>max ${escapeHtml(formatElapsed(pendingTime.maxSeconds))}</div>
<div>Unschedulable pods<b>${pods.unschedulable.length}</b>of ${pods.created}</div>
<div>Cost / lower bound<b>${escapeHtml(formatRatio(cost.ratioToLowerBound))}</b>at the end ${escapeHtml(formatRatio(cost.end.ratioToLowerBound))}</div>
</div>
<h2>Nodes</h2>${plot(nodesChart)}
<h2>Pods</h2>${plot(podsChart)}
<h2>Cost</h2>${plot(costChart)}
<p>${lowerBoundLines(cost).map(escapeHtml).join('. ')}.</p>
<h2>NodePools</h2>${plot(poolChart)}
<div class="table"><table><thead><tr><th>NodePool</th><th>Nodes</th><th>Running at end</th><th>Cost</th><th>Pod hours</th><th>Conditions at end</th></tr></thead><tbody>${rows(
    report.nodePools.map((line) => [...nodePoolCells(line), line.conditions.join(', ')]),
  )}</tbody></table></div>
<h2>Instance types</h2>
<div class="table"><table><thead><tr><th>Instance type</th><th>Capacity</th><th>Launched</th><th>Terminated</th><th>Cost</th></tr></thead><tbody>${rows(
    nodes.byInstanceType.map(instanceTypeCells),
  )}</tbody></table></div>
<h2>Disruptions</h2>
${report.disruptions.length === 0 ? '<p>None.</p>' : `<div class="table"><table><thead><tr><th>Reason</th><th>NodeClaims</th></tr></thead><tbody>${rows(report.disruptions.map(({ reason, nodeClaims }) => [reason, String(nodeClaims)]))}</tbody></table></div>`}
<h2>Unschedulable pods</h2>
${pods.unschedulable.length === 0 ? '<p>None.</p>' : `<div class="table"><table><tbody>${rows(pods.unschedulable.map(({ pod, reason }) => [pod, reason]))}</tbody></table></div>`}
<h2>Decisions</h2>
<div class="decisions">${groupedDecisions(report.decisions)
    .map(({ at, source, message }) =>
      escapeHtml(`${formatElapsed(at / 1000).padStart(9)}  ${source.padEnd(12)}  ${message}`),
    )
    .join('\n')}</div>
</body></html>
`;
}
