import { describe, expect, it } from 'vitest';
import { main } from '../../../lib/cli/main.ts';
import { planJsonLines, type PlanReport } from '../../../lib/cli/plan/index.ts';

const claim = (pods: string[]) => ({
  nodePool: 'general',
  instanceTypes: ['m5.large', 'c5.xlarge'],
  capacityTypes: ['on-demand'],
  zones: ['us-east-1a'],
  requirements: [{ key: 'karpenter.sh/nodepool', operator: 'In', values: ['general'] }],
  taints: [],
  pods,
  requests: { cpu: '1500m', memory: '1Gi' },
  priceUSDPerHour: 0.096,
  priceCapacityType: 'on-demand',
});

describe('planJsonLines', () => {
  it.each([
    ['claims, existing nodes and unschedulable pods', [claim(['default/a']), claim([])], 1],
    ['nothing at all', [], 0],
    [
      'claims whose strings hold brackets',
      [claim(['default/[a]']), claim(['default/b]', '[c'])],
      0,
    ],
  ])('is JSON.stringify(report, null, 2) in pieces: %s', (_what, nodeClaims, existing) => {
    // Prepare
    const report: PlanReport = {
      nodeClaims,
      existingNodes: Array.from({ length: existing }, () => ({ name: 'n', pods: ['default/b'] })),
      unschedulable: [{ pod: 'default/c', reason: 'no "room"\nat all' }],
      timedOut: false,
      stats: { durationMs: 1.5, pods: 3, instanceTypes: 2 },
    };
    // Act
    const lines = [...planJsonLines(report)];
    // Assess
    expect(lines.join('\n')).toBe(JSON.stringify(report, null, 2));
    expect(lines.length).toBeGreaterThan(nodeClaims.length);
  });
});

describe('skyscale plan -o json', () => {
  it('waits for the output to drain after each piece it writes', async () => {
    // Prepare: an output that records the order of writes and waits.
    const events: string[] = [];
    const io = {
      out: () => events.push('out'),
      err: () => undefined,
      drained: async () => {
        events.push('drained');
        await Promise.resolve();
      },
    };
    // Act
    const code = await main(
      [
        'plan',
        '-f',
        'examples/general-purpose.yaml',
        '-f',
        'examples/plan/web-shop.yaml',
        '-o',
        'json',
      ],
      io,
    );
    // Assess
    expect(code).toBe(0);
    expect(events.length).toBeGreaterThan(2);
    expect(events).toEqual(events.map((_, index) => (index % 2 === 0 ? 'out' : 'drained')));
  });
});
