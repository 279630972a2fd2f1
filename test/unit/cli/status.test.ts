import { describe, expect, it } from 'vitest';
import { type Node, type NodeClaim, NodeClaimSchema } from '../../../lib/apis/index.ts';
import { UsageError } from '../../../lib/cli/command.ts';
import { kubeConfigPathFor } from '../../../lib/cli/cluster-connection.ts';
import {
  clusterStatus,
  parseStatusArguments,
  renderStatusText,
  runStatus,
  sharedDomain,
  shortAge,
  usageBar,
} from '../../../lib/cli/status/index.ts';
import { renderTable } from '../../../lib/cli/table.ts';
import { createKubeClient, ResourceTypes } from '../../../lib/kube/index.ts';
import { MemoryCluster } from '../../../lib/kube/memory/index.ts';
import { ManualClock } from '../../fixtures/manual-clock.ts';
import { createStatusWorld } from '../../fixtures/status-world.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const noPrices = () => undefined;

function claim(name: string, conditions: { type: string; status: 'True' | 'False' }[]): NodeClaim {
  return NodeClaimSchema.parse({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodeClaim',
    metadata: { name, creationTimestamp: '2026-06-01T11:59:00Z' },
    spec: {
      nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
      requirements: [],
    },
    status: {
      conditions: conditions.map((condition) => ({
        ...condition,
        reason: condition.type,
        lastTransitionTime: '2026-06-01T11:59:00Z',
      })),
    },
  });
}

function node(name: string, labels: Record<string, string> = {}): Node {
  return {
    metadata: { name, labels, creationTimestamp: '2026-06-01T09:00:00Z' },
    status: { allocatable: { cpu: '2', memory: '4Gi', pods: '29' } },
  };
}

describe('skyscale status pieces', () => {
  it('names each claim by the first step it has not finished, and leaves running claims out', () => {
    // Prepare
    const claims = [
      claim('a-registering', [{ type: 'Launched', status: 'True' }]),
      claim('b-initializing', [
        { type: 'Launched', status: 'True' },
        { type: 'Registered', status: 'True' },
      ]),
      claim('c-running', [
        { type: 'Launched', status: 'True' },
        { type: 'Registered', status: 'True' },
        { type: 'Initialized', status: 'True' },
      ]),
      claim('d-launching', []),
    ];
    // Act
    const report = clusterStatus(
      { nodePools: [], nodeClaims: claims, nodes: [], pods: [] },
      noPrices,
      NOW,
    );
    // Assess
    expect(
      report.nodeClaims.map(({ name, state, why, ageSeconds }) => [name, state, why, ageSeconds]),
    ).toEqual([
      ['a-registering', 'Registering', 'waiting for its Node to join', 60],
      ['b-initializing', 'Initializing', 'waiting for its Node to be Ready', 60],
      ['d-launching', 'Launching', 'waiting for an instance', 60],
    ]);
  });

  it('counts a node the catalog cannot price as unpriced, not as free', () => {
    // Prepare
    const nodes = [
      node('known', {
        'node.kubernetes.io/instance-type': 'm5.large',
        'karpenter.sh/capacity-type': 'on-demand',
        'topology.kubernetes.io/zone': 'us-east-1a',
      }),
      node('unlabelled'),
    ];
    // Act
    const report = clusterStatus(
      { nodePools: [], nodeClaims: [], nodes, pods: [] },
      () => 0.096,
      NOW,
    );
    // Assess
    expect(report.nodes.map(({ name, priceUSDPerHour }) => [name, priceUSDPerHour])).toEqual([
      ['known', 0.096],
      ['unlabelled', undefined],
    ]);
    expect({ cost: report.costUSDPerHour, unpriced: report.unpricedNodes }).toEqual({
      cost: 0.096,
      unpriced: 1,
    });
    expect(renderStatusText(report).split('\n').at(-1)).toContain('$0.0960/h, 1 unpriced');
  });

  it('draws bars in fifths of allocatable and marks over-requested nodes past 100 %', () => {
    expect(usageBar({ requested: 0, allocatable: 1000 })).toBe('░░░░░ 0%');
    expect(usageBar({ requested: 630, allocatable: 1000 })).toBe('███░░ 63%');
    expect(usageBar({ requested: 1500, allocatable: 1000 })).toBe('█████ 150%');
    expect(usageBar({ requested: 1, allocatable: 0 })).toBe('-');
  });

  it('shows ages in their largest whole unit', () => {
    expect([59, 119, 120, 7199, 7200, 172_799, 172_800].map(shortAge)).toEqual([
      '59s',
      '119s',
      '2m',
      '119m',
      '2h',
      '47h',
      '2d',
    ]);
  });

  it('elides a DNS suffix only when every node name has it', () => {
    expect(sharedDomain(['ip-1.ec2.internal', 'ip-2.ec2.internal'])).toBe('.ec2.internal');
    expect(sharedDomain(['ip-1.ec2.internal', 'kind-worker'])).toBe('');
    expect(sharedDomain(['.ec2.internal'])).toBe('');
  });

  it('cuts the shrinkable column of a table that would pass the width, and no other', () => {
    // Act
    const table = renderTable(['NAME', 'WHY'], [['a', 'x'.repeat(40)]], {
      maxWidth: 20,
      shrink: 1,
    });
    // Assess
    expect(table.split('\n')).toEqual(['NAME  WHY', `a     ${'x'.repeat(13)}…`]);
  });

  it('keeps the screen within 100 columns when node names are long', () => {
    // Prepare
    const nodes = [
      node(`ip-10-0-${'1'.repeat(60)}-node`, { 'karpenter.sh/nodepool': 'general' }),
      node('other'),
    ];
    // Act
    const text = renderStatusText(
      clusterStatus({ nodePools: [], nodeClaims: [], nodes, pods: [] }, noPrices, NOW),
    );
    // Assess
    expect(Math.max(...text.split('\n').map((line) => line.length))).toBeLessThanOrEqual(100);
    expect(text).toContain('ip-10-0-111');
  });
});

describe('skyscale status arguments', () => {
  it('refuses an unknown output format and an interval under a second', () => {
    expect(() => parseStatusArguments(['-o', 'yaml'])).toThrow(
      new UsageError('-o must be json or text, not "yaml"'),
    );
    expect(() => parseStatusArguments(['--watch', '--interval', '500ms'])).toThrow(UsageError);
    expect(() => parseStatusArguments(['--interval', 'soon'])).toThrow(
      /--interval must be a duration/,
    );
  });

  it('finds the kubeconfig as kubectl does', () => {
    expect(kubeConfigPathFor('/explicit', { KUBECONFIG: '/a:/b' })).toBe('/explicit');
    expect(kubeConfigPathFor(undefined, { KUBECONFIG: ':/a:/b' })).toBe('/a');
    expect(kubeConfigPathFor(undefined, {})).toMatch(/\.kube\/config$/);
  });
});

describe('skyscale status --watch', () => {
  it('redraws from a fresh read of the cluster until interrupted', async () => {
    // Prepare
    const cluster = new MemoryCluster({ clock: new ManualClock(NOW.getTime()) });
    const kube = createKubeClient(cluster, {
      clock: new ManualClock(NOW.getTime()),
      logger: { warn: () => undefined },
    });
    const world = await createStatusWorld(cluster, 'shop', 'general');
    const interrupted = new AbortController();
    const screens: string[] = [];
    const options = {
      ...parseStatusArguments(['--watch', '--interval', '1s']),
      kubeConfigPath: '',
    };
    // Act
    await runStatus(
      options,
      kube,
      {
        out: (text) => {
          screens.push(text);
          if (screens.length === 1)
            void cluster.delete(ResourceTypes.nodeClaim, { name: world.claims.drifted });
          else interrupted.abort();
        },
        err: () => undefined,
      },
      interrupted.signal,
      () => NOW,
    );
    // Assess
    expect(screens).toHaveLength(2);
    expect(
      screens.every((screen) => screen.startsWith('\u001b[H\u001b[2JEvery 1s: skyscale status')),
    ).toBe(true);
    expect(screens[0]).toContain('general-drifted');
    expect(screens[1]).not.toContain('general-drifted');
  });
});
