import { describe, expect, it } from 'vitest';
import { requirementKeyRules, templateLabelRules } from '../../../lib/apis/label-rules.ts';
import { restrictedLabelReason } from '../../../lib/apis/labels.ts';

const KEYS = [
  'team',
  'example.com/team',
  'kubernetes.io/hostname',
  'kubernetes.io/arch',
  'kubernetes.io/custom',
  'beta.kubernetes.io/custom',
  'node.kubernetes.io/instance-type',
  'node.kubernetes.io/custom',
  'node-restriction.kubernetes.io/custom',
  'k8s.io/custom',
  'sub.k8s.io/custom',
  'kops.k8s.io/instancegroup',
  'karpenter.sh/capacity-type',
  'karpenter.sh/nodepool',
  'karpenter.sh/custom',
  'karpenter.k8s.aws/instance-family',
  'karpenter.k8s.aws/custom',
  'topology.kubernetes.io/zone',
  'notkubernetes.io/custom',
];

function failedRequirementRules(key: string): string[] {
  return requirementKeyRules.filter((rule) => !rule.holds({ key })).map((rule) => rule.message);
}

describe('label restriction rules', () => {
  it.each(KEYS)('agree with restrictedLabelReason for requirement key %s', (key) => {
    // Prepare
    const reason = restrictedLabelReason(key);

    // Act
    const failed = failedRequirementRules(key);

    // Assess
    expect(failed).toEqual(reason === undefined ? [] : [reason]);
  });

  it('also forbid karpenter.sh/nodepool in template labels', () => {
    // Prepare / Act
    const failed = templateLabelRules.filter(
      (rule) => !rule.holds({ 'karpenter.sh/nodepool': 'a', team: 'b' }),
    );

    // Assess
    expect(failed.map((rule) => rule.message)).toEqual([
      'label "karpenter.sh/nodepool" is restricted',
    ]);
  });

  it('report each restricted domain once per labels map', () => {
    // Prepare / Act
    const failed = templateLabelRules.filter(
      (rule) => !rule.holds({ 'karpenter.sh/a': '1', 'karpenter.sh/b': '2', 'k8s.io/c': '3' }),
    );

    // Assess
    expect(failed.map((rule) => rule.message)).toEqual([
      'label domain "k8s.io" is restricted',
      'label domain "karpenter.sh" is restricted',
    ]);
  });
});
