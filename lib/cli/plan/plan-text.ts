import { renderTable } from '../table.ts';
import type { PlanReport } from './plan-report.ts';

/** Instance types shown per claim before the rest are summarized as "+N more". */
const SHOWN_INSTANCE_TYPES = 3;

function listed(items: readonly string[], shown: number): string {
  if (items.length <= shown) return items.join(', ');
  return `${items.slice(0, shown).join(', ')} +${items.length - shown} more`;
}

function section(title: string, count: number, body: string): string {
  return `${title} (${count})\n${body}`;
}

/** `skyscale plan -o text`: the JSON report as readable tables. */
export function renderPlanText(report: PlanReport): string {
  const parts: string[] = [];
  if (report.nodeClaims.length > 0) {
    const rows = report.nodeClaims.map((claim) => [
      claim.nodePool,
      listed(claim.instanceTypes, SHOWN_INSTANCE_TYPES),
      claim.capacityTypes.join(','),
      listed(claim.zones, SHOWN_INSTANCE_TYPES),
      claim.requests.cpu ?? '0',
      claim.requests.memory ?? '0',
      String(claim.pods.length),
      `$${claim.priceUSDPerHour.toFixed(4)}`,
    ]);
    const headers = [
      'NODEPOOL',
      'INSTANCE TYPES',
      'CAPACITY',
      'ZONES',
      'CPU',
      'MEMORY',
      'PODS',
      'PRICE/H',
    ];
    parts.push(section('NEW NODECLAIMS', report.nodeClaims.length, renderTable(headers, rows)));
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
        renderTable(['NODE', 'COUNT', 'PODS'], rows),
      ),
    );
  }
  if (report.unschedulable.length > 0) {
    const rows = report.unschedulable.map(({ pod, reason }) => [pod, reason]);
    parts.push(
      section('UNSCHEDULABLE', report.unschedulable.length, renderTable(['POD', 'REASON'], rows)),
    );
  }
  const total = report.nodeClaims.reduce((sum, claim) => sum + claim.priceUSDPerHour, 0);
  const { stats } = report;
  const summary =
    `${stats.pods} pending pod(s), ${report.nodeClaims.length} new NodeClaim(s) costing $${total.toFixed(4)}/h, ` +
    `planned in ${stats.durationMs} ms over ${stats.instanceTypes} instance types`;
  parts.push(report.timedOut ? `${summary}; the deadline cut the run short.` : `${summary}.`);
  return parts.join('\n\n');
}
