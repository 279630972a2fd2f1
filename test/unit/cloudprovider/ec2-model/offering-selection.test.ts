import { describe, expect, it } from 'vitest';
import type { Requirement } from '../../../../lib/apis/requirement.ts';
import type { InstanceType, Offering } from '../../../../lib/cloudprovider/types.ts';
import {
  chooseCapacityType,
  compatibleOfferings,
  fleetCandidates,
  labelsSatisfy,
} from '../../../../lib/cloudprovider/ec2-model/offering-selection.ts';

function instanceType(
  name: string,
  offerings: Offering[],
  labels: Record<string, string> = {},
): InstanceType {
  return {
    name,
    labels: { 'node.kubernetes.io/instance-type': name, 'kubernetes.io/arch': 'amd64', ...labels },
    capacity: { cpu: 2000, pods: 29 },
    overhead: { kubeReserved: {}, systemReserved: {}, evictionThreshold: {} },
    offerings,
  };
}

const offer = (
  zone: string,
  capacityType: Offering['capacityType'],
  price: number,
  available = true,
): Offering => ({
  zone,
  capacityType,
  price,
  available,
});

const m5 = instanceType('m5.large', [
  offer('a', 'spot', 0.03),
  offer('a', 'on-demand', 0.096),
  offer('b', 'spot', 0.04, false),
]);
const c5 = instanceType('c5.large', [offer('a', 'spot', 0.12), offer('b', 'on-demand', 0.085)]);
const g5 = instanceType('g5.xlarge', [offer('a', 'on-demand', 1.006)], {
  'karpenter.k8s.aws/instance-gpu-count': '1',
});

describe('compatibleOfferings', () => {
  it('keeps the available offerings that meet instance, zone and capacity-type requirements', () => {
    // Prepare
    const requirements: Requirement[] = [
      { key: 'karpenter.sh/nodepool', operator: 'In', values: ['default'] },
      { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m5.large', 'c5.large'] },
      { key: 'topology.kubernetes.io/zone', operator: 'NotIn', values: ['b'] },
    ];

    // Act
    const candidates = compatibleOfferings([m5, c5, g5], requirements);

    // Assess
    expect(
      candidates.map(
        ({ instanceType: type, offering }) =>
          `${type.name}/${offering.zone}/${offering.capacityType}`,
      ),
    ).toEqual(['m5.large/a/spot', 'm5.large/a/on-demand', 'c5.large/a/spot']);
  });

  it('evaluates instance labels a type does not carry as absent', () => {
    // Prepare
    const needsGpu: Requirement[] = [
      { key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Exists' },
    ];

    // Act
    const candidates = compatibleOfferings([m5, g5], needsGpu);

    // Assess
    expect(candidates.map((candidate) => candidate.instanceType.name)).toEqual(['g5.xlarge']);
  });
});

describe('chooseCapacityType', () => {
  it('prefers reserved, then spot, then on-demand', () => {
    const candidates = compatibleOfferings([m5, c5], []);
    expect(chooseCapacityType(candidates)).toBe('spot');
    expect(
      chooseCapacityType(
        candidates.filter((candidate) => candidate.offering.capacityType === 'on-demand'),
      ),
    ).toBe('on-demand');
    const reserved = instanceType('m5.xlarge', [
      offer('a', 'reserved', 0),
      offer('a', 'spot', 0.05),
    ]);
    expect(chooseCapacityType(compatibleOfferings([reserved], []))).toBe('reserved');
    expect(chooseCapacityType([])).toBeUndefined();
  });
});

describe('fleetCandidates', () => {
  it('drops spot offerings dearer than the cheapest on-demand offering and sorts by price', () => {
    // Act
    const chosen = fleetCandidates(compatibleOfferings([m5, c5], []), 'spot');

    // Assess: c5.large spot (0.12) costs more than c5.large on-demand (0.085).
    expect(
      chosen.map(({ instanceType: type, offering }) => `${type.name}/${offering.price}`),
    ).toEqual(['m5.large/0.03']);
  });

  it('keeps every spot offering when on-demand is not allowed', () => {
    // Prepare
    const spotOnly = compatibleOfferings([m5, c5], []).filter(
      (candidate) => candidate.offering.capacityType === 'spot',
    );

    // Act
    const chosen = fleetCandidates(spotOnly, 'spot');

    // Assess
    expect(chosen.map((candidate) => candidate.offering.price)).toEqual([0.03, 0.12]);
  });
});

describe('labelsSatisfy', () => {
  it('applies each operator, treating a missing label as having no value', () => {
    const labels = { 'kubernetes.io/arch': 'arm64', 'karpenter.k8s.aws/instance-cpu': '8' };
    expect(
      labelsSatisfy([{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }], labels),
    ).toBe(true);
    expect(
      labelsSatisfy([{ key: 'kubernetes.io/arch', operator: 'NotIn', values: ['arm64'] }], labels),
    ).toBe(false);
    expect(
      labelsSatisfy(
        [{ key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'DoesNotExist' }],
        labels,
      ),
    ).toBe(true);
    expect(
      labelsSatisfy([{ key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Exists' }], labels),
    ).toBe(false);
    expect(
      labelsSatisfy(
        [{ key: 'karpenter.k8s.aws/instance-cpu', operator: 'Gt', values: ['4'] }],
        labels,
      ),
    ).toBe(true);
    expect(
      labelsSatisfy(
        [{ key: 'karpenter.k8s.aws/instance-cpu', operator: 'Lt', values: ['8'] }],
        labels,
      ),
    ).toBe(false);
  });
});
