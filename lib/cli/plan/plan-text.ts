import { ACCELERATOR_RESOURCES } from '../../cloudprovider/ec2-model/index.ts';
import { renderTable, TERMINAL_COLUMNS, wrapText } from '../table.ts';
import type { PlanReport } from './plan-report.ts';

/** Zones listed by name up to this many; more are counted. */
const LISTED_ZONES = 2;

function instanceTypesCell(types: readonly string[]): string {
  const [cheapest, ...rest] = types;
  return rest.length === 0 ? (cheapest ?? '-') : `${cheapest} +${rest.length}`;
}

function zonesCell(zones: readonly string[]): string {
  return zones.length <= LISTED_ZONES ? zones.join(',') : `${zones.length} zones`;
}

/** The accelerators the claim's pods request (GPUs, Neuron devices), or `-`. */
function gpuCell(requests: Readonly<Record<string, string>>): string {
  const resource = ACCELERATOR_RESOURCES.find((name) => requests[name] !== undefined);
  return resource === undefined ? '-' : (requests[resource] ?? '-');
}

function section(title: string, count: number, body: string): string {
  return `${title} (${count})\n${body}`;
}

/** `skyscale plan -o text`: the JSON report as tables within 100 columns, the summary last. */
export function renderPlanText(report: PlanReport): string {
  const parts: string[] = [];
  const fit = (shrink: number) => ({ maxWidth: TERMINAL_COLUMNS, shrink });
  if (report.nodeClaims.length > 0) {
    const rows = report.nodeClaims.map((claim) => [
      claim.nodePool,
      instanceTypesCell(claim.instanceTypes),
      claim.capacityTypes.join(','),
      zonesCell(claim.zones),
      claim.requests.cpu ?? '0',
      claim.requests.memory ?? '0',
      gpuCell(claim.requests),
      String(claim.pods.length),
      `$${claim.priceUSDPerHour.toFixed(4)} ${claim.priceCapacityType}`,
    ]);
    const headers = [
      'NODEPOOL',
      'INSTANCE TYPES',
      'CAPACITY',
      'ZONES',
      'CPU',
      'MEMORY',
      'GPU',
      'PODS',
      'PRICE/H (FOR)',
    ];
    parts.push(
      section('NEW NODECLAIMS', report.nodeClaims.length, renderTable(headers, rows, fit(0))),
    );
  }
  if (report.existingNodes.length > 0) {
    const rows = report.existingNodes.map((node) => [
      node.name,
      String(node.pods.length),
      node.pods.join(', '),
    ]);
    parts.push(
      section(
        'PODS ON EXISTING NODES',
        report.existingNodes.length,
        renderTable(['NODE', 'COUNT', 'PODS'], rows, fit(2)),
      ),
    );
  }
  if (report.unschedulable.length > 0) {
    const lines = report.unschedulable.map(({ pod, reason }) =>
      wrapText(`${pod}: ${reason}`, TERMINAL_COLUMNS, '    '),
    );
    parts.push(section('UNSCHEDULABLE', report.unschedulable.length, lines.join('\n')));
  }
  const total = report.nodeClaims.reduce((sum, claim) => sum + claim.priceUSDPerHour, 0);
  const { stats } = report;
  const summary =
    `${stats.pods} pending pod(s), ${report.nodeClaims.length} new NodeClaim(s) costing $${total.toFixed(4)}/h, ` +
    `planned in ${stats.durationMs} ms over ${stats.instanceTypes} instance types`;
  const ending = report.timedOut ? `${summary}; the deadline cut the run short.` : `${summary}.`;
  parts.push(wrapText(ending, TERMINAL_COLUMNS, ''));
  return parts.join('\n\n');
}
