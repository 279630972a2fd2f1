import { setTimeout as sleep } from 'node:timers/promises';
import { Labels, type Node } from '../../apis/index.ts';
import type { KubeClient } from '../../kube/index.ts';
import type { CliIo } from '../command.ts';
import { clusterStatus, type StatusInput, type StatusReport } from './cluster-status.ts';
import { catalogPrices, type PriceOf } from './price-book.ts';
import type { StatusArguments } from './status-arguments.ts';
import { renderStatusText } from './status-text.ts';

/** Moves the cursor home and clears the screen, as `watch` redraws. */
const CLEAR_SCREEN = '\u001b[H\u001b[2J';
const DEFAULT_REGION = 'us-east-1';

async function readCluster(kube: KubeClient): Promise<StatusInput> {
  const [nodePools, nodeClaims, nodes, pods] = await Promise.all([
    kube.listNodePools(),
    kube.listNodeClaims(),
    kube.listNodes(),
    kube.listPods(),
  ]);
  return {
    nodePools: nodePools.items,
    nodeClaims: nodeClaims.items,
    nodes: nodes.items,
    pods: pods.items,
  };
}

/** Only the named NodePools and what belongs to them (pods by the node they run on). */
export function selectNodePools(input: StatusInput, names: readonly string[]): StatusInput {
  if (names.length === 0) return input;
  const wanted = new Set(names);
  const nodes = input.nodes.filter((node) =>
    wanted.has(node.metadata.labels?.[Labels.nodePool] ?? ''),
  );
  const nodeNames = new Set(nodes.map((node) => node.metadata.name));
  return {
    nodePools: input.nodePools.filter((pool) => wanted.has(pool.metadata.name ?? '')),
    nodeClaims: input.nodeClaims.filter((claim) =>
      wanted.has(claim.metadata.labels?.[Labels.nodePool] ?? ''),
    ),
    nodes,
    pods: input.pods.filter((pod) => nodeNames.has(pod.spec.nodeName ?? '')),
  };
}

function regionOf(nodes: readonly Node[]): string | undefined {
  for (const node of nodes) {
    const region = node.metadata.labels?.[Labels.region];
    if (region) return region;
  }
  return undefined;
}

/** Reads the cluster and prints its status once, or every interval until `signal` aborts. */
export async function runStatus(
  options: StatusArguments,
  kube: KubeClient,
  io: CliIo,
  signal?: AbortSignal,
  now: () => Date = () => new Date(),
): Promise<StatusReport> {
  const priceBooks = new Map<string, PriceOf>();
  const pricesFor = (region: string): PriceOf => {
    let prices = priceBooks.get(region);
    if (!prices) priceBooks.set(region, (prices = catalogPrices(region)));
    return prices;
  };
  for (;;) {
    const input = selectNodePools(await readCluster(kube), options.nodePools);
    const region = options.region ?? regionOf(input.nodes) ?? DEFAULT_REGION;
    const report = clusterStatus(input, pricesFor(region), now());
    const text =
      options.output === 'json' ? JSON.stringify(report, null, 2) : renderStatusText(report);
    if (!options.watch) {
      io.out(text);
      return report;
    }
    io.out(
      `${CLEAR_SCREEN}Every ${options.intervalMs / 1000}s: skyscale status    ${report.time}\n\n${text}`,
    );
    try {
      await sleep(options.intervalMs, undefined, { signal });
    } catch {
      return report;
    }
  }
}
