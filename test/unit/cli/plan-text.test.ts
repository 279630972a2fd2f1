import { describe, expect, it } from 'vitest';
import type { PlanReport } from '../../../lib/cli/plan/index.ts';
import { renderPlanText } from '../../../lib/cli/plan/plan-text.ts';
import { renderTable } from '../../../lib/cli/table.ts';

const report: PlanReport = {
  nodeClaims: [
    {
      nodePool: 'default',
      instanceTypes: ['m5.large', 'm6i.large', 'c5.xlarge', 'm7i.large', 'r5.large'],
      capacityTypes: ['spot', 'on-demand'],
      zones: ['us-east-1a', 'us-east-1b'],
      requirements: [],
      taints: [],
      pods: ['default/a', 'default/b'],
      requests: { cpu: '1500m', memory: '3Gi', pods: '2' },
      priceUSDPerHour: 0.0345,
      priceCapacityType: 'spot',
    },
  ],
  existingNodes: [{ name: 'node-1', pods: ['default/c'] }],
  unschedulable: [{ pod: 'default/huge', reason: 'too big' }],
  timedOut: false,
  stats: { durationMs: 1.5, pods: 4, instanceTypes: 700 },
};

describe('renderTable', () => {
  it('pads every column but the last to its widest cell', () => {
    // Act
    const table = renderTable(
      ['A', 'LONG HEADER', 'C'],
      [
        ['wide cell', 'x', 'last'],
        ['y', 'z', ''],
      ],
    );
    // Assess
    expect(table.split('\n')).toEqual([
      'A          LONG HEADER  C',
      'wide cell  x            last',
      'y          z',
    ]);
  });
});

describe('renderPlanText', () => {
  it('prints a table per section and a summary line', () => {
    // Act
    const text = renderPlanText(report);
    // Assess
    expect(text).toBe(
      [
        'NEW NODECLAIMS (1)',
        'NODEPOOL  INSTANCE TYPES  CAPACITY        ZONES                  CPU    MEMORY  GPU  PODS  PRICE/H (FOR)',
        'default   m5.large +4     spot,on-demand  us-east-1a,us-east-1b  1500m  3Gi     -    2     $0.0345 spot',
        '',
        'PODS ON EXISTING NODES (1)',
        'NODE    COUNT  PODS',
        'node-1  1      default/c',
        '',
        'UNSCHEDULABLE (1)',
        'default/huge: too big',
        '',
        '4 pending pod(s), 1 new NodeClaim(s) costing $0.0345/h, planned in 1.5 ms over 700 instance types.',
      ].join('\n'),
    );
  });

  it('fits 100 columns, shows the GPUs asked for and wraps long reasons under their pod', () => {
    // Prepare
    const wide: PlanReport = {
      ...report,
      nodeClaims: [
        {
          ...(report.nodeClaims[0] as PlanReport['nodeClaims'][number]),
          nodePool: 'gpu-training-with-a-long-nodepool-name-for-the-team',
          zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
          requests: { cpu: '8', memory: '32Gi', 'nvidia.com/gpu': '4' },
          priceCapacityType: 'on-demand',
        },
      ],
      unschedulable: [{ pod: 'default/huge', reason: 'word '.repeat(40).trim() }],
    };
    // Act
    const lines = renderPlanText(wide).split('\n');
    // Assess
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(100);
    expect(lines[2]).toMatch(
      /^gpu-training-w\S*… +m5\.large \+4 +spot,on-demand +3 zones +8 +32Gi +4 +2 +\$0\.0345 on-demand$/,
    );
    const unschedulable = lines.slice(
      lines.indexOf('UNSCHEDULABLE (1)') + 1,
      lines.indexOf('UNSCHEDULABLE (1)') + 3,
    );
    expect(unschedulable[0]).toMatch(/^default\/huge: word word/);
    expect(unschedulable[1]).toMatch(/^ {4}word word/);
  });

  it('leaves out empty sections and says when the deadline cut the run short', () => {
    // Prepare
    const empty: PlanReport = {
      ...report,
      nodeClaims: [],
      existingNodes: [],
      unschedulable: [],
      timedOut: true,
    };
    // Act
    const text = renderPlanText(empty);
    // Assess
    expect(text).toBe(
      '4 pending pod(s), 0 new NodeClaim(s) costing $0.0000/h, planned in 1.5 ms over 700 instance types;\nthe deadline cut the run short.',
    );
  });
});
