import { describe, expect, it } from 'vitest';
import type { Requirement } from '../../../../lib/apis/requirement.ts';
import type { InstanceType, Offering } from '../../../../lib/cloudprovider/types.ts';
import { instanceType } from '../../../fixtures/instance-type.ts';
import {
  compatibleOfferings,
  labelsSatisfy,
  MAX_FLEET_INSTANCE_TYPES,
  planLaunch,
} from '../../../../lib/cloudprovider/ec2-model/offering-selection.ts';

/** A 2-core type with these offerings; only the offerings and labels matter to offering selection. */
function offeredType(
  name: string,
  offerings: Offering[],
  labels: Record<string, string> = {},
): InstanceType {
  return instanceType(name, 2, 4, { offerings, labels });
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

const m5 = offeredType('m5.large', [
  offer('a', 'spot', 0.03),
  offer('a', 'on-demand', 0.096),
  offer('b', 'spot', 0.04, false),
]);
const c5 = offeredType('c5.large', [offer('a', 'spot', 0.12), offer('b', 'on-demand', 0.085)]);
const g5 = offeredType('g5.xlarge', [offer('a', 'on-demand', 1.006)], {
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

function planned(types: InstanceType[], requirements: Requirement[] = []) {
  return planLaunch(compatibleOfferings(types, requirements), requirements);
}

function described(plan: ReturnType<typeof planLaunch>): string[] {
  return (plan?.candidates ?? []).map(
    ({ instanceType: type, offering }) => `${type.name}/${offering.capacityType}/${offering.price}`,
  );
}

describe('launch filters', () => {
  it('prefers reserved, then spot, then on-demand', () => {
    // Prepare
    const reserved = offeredType('m5.xlarge', [
      offer('a', 'reserved', 0),
      offer('a', 'spot', 0.05),
    ]);
    const onDemandOnly = offeredType('m6i.large', [offer('a', 'on-demand', 0.096)]);
    // Act / Assess
    expect(planned([m5, c5])?.capacityType).toBe('spot');
    expect(planned([onDemandOnly])?.capacityType).toBe('on-demand');
    expect(planned([reserved])?.capacityType).toBe('reserved');
    expect(planLaunch([], [])).toBeUndefined();
  });

  it('drops spot offerings dearer than the cheapest on-demand offering and sorts by price', () => {
    // Act
    const plan = planned([m5, c5]);
    // Assess: c5.large spot (0.12) costs more than c5.large on-demand (0.085).
    expect(described(plan)).toEqual(['m5.large/spot/0.03']);
  });

  it('when every spot offering costs more than the cheapest on-demand offering, launches on-demand', () => {
    // Prepare
    const dearSpot = offeredType('r5.large', [
      offer('a', 'spot', 0.2),
      offer('a', 'on-demand', 0.126),
    ]);
    const cheapOnDemand = offeredType('m5.large', [
      offer('a', 'spot', 0.15),
      offer('a', 'on-demand', 0.096),
    ]);
    // Act
    const plan = planned([dearSpot, cheapOnDemand]);
    // Assess
    expect(plan?.capacityType).toBe('on-demand');
    expect(described(plan)).toEqual(['m5.large/on-demand/0.096']);
  });

  it('keeps every spot offering when on-demand is not allowed', () => {
    // Prepare
    const spotOnly: Requirement[] = [
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
    ];
    // Act
    const plan = planned([m5, c5], spotOnly);
    // Assess
    expect(plan?.capacityType).toBe('spot');
    expect(described(plan)).toEqual(['m5.large/spot/0.03', 'c5.large/spot/0.12']);
  });

  it('drops metal and GPU types when the request does not need them, keeps them when they are all there is', () => {
    // Prepare
    const metal = offeredType('m5.metal', [offer('a', 'on-demand', 0.05)], {
      'karpenter.k8s.aws/instance-size': 'metal',
    });
    const gpu = { ...g5, capacity: { ...g5.capacity, 'nvidia.com/gpu': 1 } };
    const onDemand: Requirement[] = [
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
    ];
    // Act
    const mixed = planned([metal, gpu, m5], onDemand);
    const onlyExotic = planned([metal, gpu], onDemand);
    // Assess
    expect(described(mixed)).toEqual(['m5.large/on-demand/0.096']);
    expect(described(onlyExotic)).toEqual(['m5.metal/on-demand/0.05', 'g5.xlarge/on-demand/1.006']);
  });

  it('keeps exotic and dear types when a requirement has minValues', () => {
    // Prepare
    const metal = offeredType('m5.metal', [offer('a', 'on-demand', 0.05)], {
      'karpenter.k8s.aws/instance-size': 'metal',
    });
    const requirements: Requirement[] = [
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
      {
        key: 'node.kubernetes.io/instance-type',
        operator: 'In',
        values: ['m5.metal', 'm5.large'],
        minValues: 2,
      },
    ];
    // Act
    const plan = planned([metal, m5], requirements);
    // Assess
    expect(described(plan)).toEqual(['m5.metal/on-demand/0.05', 'm5.large/on-demand/0.096']);
  });

  it('cuts the fleet request to the cheapest 60 types after the filters', () => {
    // Prepare: 70 generic types and a cheaper metal one.
    const types = Array.from({ length: 70 }, (_, index) =>
      offeredType(`t${String(index).padStart(2, '0')}.large`, [
        offer('a', 'on-demand', 1 + index / 100),
      ]),
    );
    const metal = offeredType('z.metal', [offer('a', 'on-demand', 0.01)], {
      'karpenter.k8s.aws/instance-size': 'metal',
    });
    // Act
    const plan = planned([metal, ...types]);
    // Assess
    const names = new Set(plan?.candidates.map(({ instanceType: type }) => type.name));
    expect(names.size).toBe(MAX_FLEET_INSTANCE_TYPES);
    expect(names.has('z.metal')).toBe(false);
    expect(names.has('t00.large')).toBe(true);
    expect(names.has('t60.large')).toBe(false);
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
