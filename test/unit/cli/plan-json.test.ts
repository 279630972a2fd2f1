import { describe, expect, it } from 'vitest';
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
