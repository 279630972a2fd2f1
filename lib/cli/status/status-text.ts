import { renderTable, TERMINAL_COLUMNS } from '../table.ts';
import type { ConditionSummary, NodeStatusRow, StatusReport, Usage } from './cluster-status.ts';

const BAR_CELLS = 5;

/** `█████ 100%`: the share of allocatable the node's pods request. */
export function usageBar({ requested, allocatable }: Usage): string {
  if (allocatable <= 0) return '-';
  const share = requested / allocatable;
  const filled = Math.min(BAR_CELLS, Math.round(share * BAR_CELLS));
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_CELLS - filled)} ${Math.round(share * 100)}%`;
}

/** `45s`, `12m`, `3h`, `5d`: the largest whole unit, as kubectl shows ages. */
export function shortAge(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 2 * 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 2 * 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

function dollars(price: number | undefined): string {
  return price === undefined ? '-' : `$${price.toFixed(4)}`;
}

function condition(summary: ConditionSummary | undefined): string {
  if (!summary) return '-';
  return summary.reason === undefined ? summary.status : `${summary.status} (${summary.reason})`;
}

function usedOfLimit(
  name: string,
  usage: Readonly<Record<string, string>>,
  limits: Readonly<Record<string, string>>,
): string {
  const used = usage[name] ?? '0';
  const limit = limits[name];
  return limit === undefined ? used : `${used}/${limit}`;
}

/** The DNS suffix every node name shares (`.ec2.internal`), shown once instead of on every row. */
export function sharedDomain(names: readonly string[]): string {
  const [first] = names;
  const dot = first?.indexOf('.') ?? -1;
  if (first === undefined || dot < 0) return '';
  const domain = first.slice(dot);
  return names.every((name) => name.endsWith(domain) && name.length > domain.length) ? domain : '';
}

function nodeState(node: NodeStatusRow): string {
  if (node.disrupting) return 'Disrupting';
  return node.ready ? 'Ready' : 'NotReady';
}

function nodePoolsTable(report: StatusReport): string {
  const rows = report.nodePools.map((pool) => [
    pool.name,
    String(pool.nodes),
    usedOfLimit('cpu', pool.usage, pool.limits),
    usedOfLimit('memory', pool.usage, pool.limits),
    condition(pool.ready),
    condition(pool.nodeRegistrationHealthy),
    dollars(pool.costUSDPerHour),
  ]);
  const headers = [
    'NODEPOOL',
    'NODES',
    'CPU/LIMIT',
    'MEMORY/LIMIT',
    'READY',
    'REGISTRATION HEALTHY',
    '$/H',
  ];
  return `NODEPOOLS (${rows.length})\n${renderTable(headers, rows, { maxWidth: TERMINAL_COLUMNS, shrink: 0 })}`;
}

function nodesTable(report: StatusReport): string {
  const domain = sharedDomain(report.nodes.map(({ name }) => name));
  const anyUnsteady = report.nodes.some((node) => nodeState(node) !== 'Ready');
  const rows = report.nodes.map((node) => [
    domain ? node.name.slice(0, -domain.length) : node.name,
    node.instanceType ?? '-',
    node.capacityType ?? '-',
    node.zone ?? '-',
    shortAge(node.ageSeconds),
    usageBar(node.cpu),
    usageBar(node.memory),
    String(node.pods),
    dollars(node.priceUSDPerHour),
    ...(anyUnsteady ? [nodeState(node)] : []),
  ]);
  const headers = [
    domain ? `NODE (*${domain})` : 'NODE',
    'TYPE',
    'CAPACITY',
    'ZONE',
    'AGE',
    'CPU REQ',
    'MEM REQ',
    'PODS',
    '$/H',
    ...(anyUnsteady ? ['STATE'] : []),
  ];
  return `NODES (${rows.length})\n${renderTable(headers, rows, { maxWidth: TERMINAL_COLUMNS, shrink: 0 })}`;
}

function nodeClaimsTable(report: StatusReport): string {
  const rows = report.nodeClaims.map((claim) => [
    claim.name,
    claim.nodePool ?? '-',
    claim.state,
    shortAge(claim.ageSeconds),
    claim.why,
  ]);
  const headers = ['NODECLAIM', 'NODEPOOL', 'STATE', 'AGE', 'WHY'];
  return `NODECLAIMS NOT YET RUNNING OR LEAVING (${rows.length})\n${renderTable(headers, rows, { maxWidth: TERMINAL_COLUMNS, shrink: 4 })}`;
}

function summary(report: StatusReport): string {
  const count = (capacityType: string) =>
    report.nodes.filter((node) => node.capacityType === capacityType).length;
  const byCapacity = ['spot', 'on-demand', 'reserved']
    .map((type) => [type, count(type)] as const)
    .filter(([, n]) => n > 0)
    .map(([type, n]) => `${n} ${type}`);
  const nodes = `${report.nodes.length} node(s)${byCapacity.length ? ` (${byCapacity.join(', ')})` : ''}`;
  const unpriced = report.unpricedNodes > 0 ? `, ${report.unpricedNodes} unpriced` : '';
  return (
    `${nodes}, ${report.nodeClaims.length} NodeClaim(s) in transition: ` +
    `${dollars(report.costUSDPerHour)}/h${unpriced} (spot prices are estimates)`
  );
}

/** `skyscale status -o text`: NodePools, nodes, claims in transition, and the cost last. */
export function renderStatusText(report: StatusReport): string {
  const parts = [nodePoolsTable(report)];
  if (report.nodes.length > 0) parts.push(nodesTable(report));
  if (report.nodeClaims.length > 0) parts.push(nodeClaimsTable(report));
  parts.push(summary(report));
  return parts.join('\n\n');
}
