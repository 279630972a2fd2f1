import { describe, expect, it } from 'vitest';
import { NodePoolSchema } from '../../../lib/apis/nodepool.ts';

const MINIMAL = {
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodePool',
  metadata: { name: 'default' },
  spec: {
    template: {
      spec: {
        requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }],
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
      },
    },
  },
};

function withSpec(spec: Record<string, unknown>): unknown {
  return { ...MINIMAL, spec: { ...MINIMAL.spec, ...spec } };
}

function issuesOf(input: unknown): string[] {
  const result = NodePoolSchema.safeParse(input);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('NodePoolSchema', () => {
  it('applies Karpenter defaults', () => {
    // Prepare / Act
    const pool = NodePoolSchema.parse(MINIMAL);

    // Assess
    expect(pool.spec.template.spec.expireAfter).toBe('720h');
    expect(pool.spec.disruption).toEqual({
      consolidationPolicy: 'WhenEmptyOrUnderutilized',
      consolidateAfter: '0s',
      budgets: [{ nodes: '10%' }],
    });
  });

  it('fills defaults inside a partial disruption block', () => {
    // Prepare / Act
    const pool = NodePoolSchema.parse(
      withSpec({
        disruption: { consolidationPolicy: 'WhenEmpty', budgets: [{ reasons: ['Empty'] }] },
      }),
    );

    // Assess
    expect(pool.spec.disruption).toEqual({
      consolidationPolicy: 'WhenEmpty',
      consolidateAfter: '0s',
      budgets: [{ nodes: '10%', reasons: ['Empty'] }],
    });
  });

  it.each(['Never', '30s', '1h30m', '720h'])('accepts expireAfter %s', (expireAfter) => {
    // Prepare
    const input = withSpec({ template: { spec: { ...MINIMAL.spec.template.spec, expireAfter } } });

    // Act / Assess
    expect(issuesOf(input)).toEqual([]);
  });

  it.each(['1d', '10', 'never', '1.5h'])('rejects consolidateAfter %s', (consolidateAfter) => {
    // Prepare / Act
    const issues = issuesOf(withSpec({ disruption: { consolidateAfter } }));

    // Assess
    expect(issues).toEqual([
      'spec.disruption.consolidateAfter: must be a duration such as "30s", "10m" or "720h", or "Never"',
    ]);
  });

  it.each([
    [{ nodes: '101%' }, 'spec.disruption.budgets.0.nodes'],
    [{ nodes: 'ten' }, 'spec.disruption.budgets.0.nodes'],
    [{ nodes: '1', duration: '10m' }, 'spec.disruption.budgets.0.duration'],
    [{ nodes: '1', schedule: '@daily', duration: '30s' }, 'spec.disruption.budgets.0.duration'],
    [{ nodes: '1', reasons: ['Expired'] }, 'spec.disruption.budgets.0.reasons.0'],
  ])('rejects budget %j at %s', (budget, path) => {
    // Prepare / Act
    const issues = issuesOf(withSpec({ disruption: { budgets: [budget] } }));

    // Assess
    expect(issues.map((issue) => issue.split(':')[0])).toEqual([path]);
  });

  it('accepts a scheduled budget with a window', () => {
    // Prepare / Act
    const issues = issuesOf(
      withSpec({
        disruption: { budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h' }] },
      }),
    );

    // Assess
    expect(issues).toEqual([]);
  });

  it('rejects karpenter.sh/nodepool in template labels but allows well-known and custom labels', () => {
    // Prepare
    const template = (labels: Record<string, string>) =>
      withSpec({ template: { metadata: { labels }, spec: MINIMAL.spec.template.spec } });

    // Act
    const forbidden = issuesOf(template({ 'karpenter.sh/nodepool': 'x' }));
    const allowed = issuesOf(
      template({ 'node.kubernetes.io/role': 'x', 'karpenter.sh/capacity-type': 'spot', team: 'a' }),
    );

    // Assess
    expect(forbidden).toEqual([
      'spec.template.metadata.labels: label "karpenter.sh/nodepool" is restricted',
    ]);
    expect(allowed).toEqual([]);
  });

  it('rejects more than 100 template labels', () => {
    // Prepare
    const labels = Object.fromEntries(
      Array.from({ length: 101 }, (_, index) => [`label-${index}`, 'x']),
    );

    // Act
    const issues = issuesOf(
      withSpec({ template: { metadata: { labels }, spec: MINIMAL.spec.template.spec } }),
    );

    // Assess
    expect(issues).toEqual(['spec.template.metadata.labels: must have at most 100 entries']);
  });

  it('rejects unknown fields in the spec (typos)', () => {
    // Prepare / Act
    const issues = issuesOf(withSpec({ wieght: 10 }));

    // Assess
    expect(issues).toEqual(['spec: Unrecognized key: "wieght"']);
  });

  it('accepts integer and string limits', () => {
    // Prepare / Act
    const pool = NodePoolSchema.parse(
      withSpec({ limits: { cpu: 100, memory: '400Gi', 'nvidia.com/gpu': '8' } }),
    );

    // Assess
    expect(pool.spec.limits).toEqual({ cpu: 100, memory: '400Gi', 'nvidia.com/gpu': '8' });
  });

  it('rejects a limit that is not a quantity', () => {
    // Prepare / Act
    const issues = issuesOf(withSpec({ limits: { cpu: 'lots' } }));

    // Assess
    expect(issues.map((issue) => issue.split(':')[0])).toEqual(['spec.limits.cpu']);
  });
});

describe('NodePoolSchema: Gte and Lte', () => {
  it('accepts Gte and Lte with one integer and rejects them with anything else', () => {
    // Prepare
    const requirements = (operator: string, values: string[]): unknown =>
      withSpec({
        template: {
          spec: {
            ...MINIMAL.spec.template.spec,
            requirements: [{ key: 'karpenter.k8s.aws/instance-cpu', operator, values }],
          },
        },
      });
    // Act / Assess
    expect(issuesOf(requirements('Gte', ['4']))).toEqual([]);
    expect(issuesOf(requirements('Lte', ['64']))).toEqual([]);
    expect(issuesOf(requirements('Gte', ['four']))).toEqual([
      'spec.template.spec.requirements.0.values: operators Gt, Lt, Gte and Lte take exactly one non-negative integer value',
    ]);
  });
});
