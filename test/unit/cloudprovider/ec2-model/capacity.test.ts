import { describe, expect, it } from 'vitest';
import { Labels } from '../../../../lib/apis/labels.ts';
import { allocatable } from '../../../../lib/cloudprovider/types.ts';
import {
  instanceTypeFromFacts,
  kubeReservedCpu,
} from '../../../../lib/cloudprovider/ec2-model/capacity.ts';
import {
  type InstanceFacts,
  InstanceTypeNameError,
  instanceTypeNameParts,
} from '../../../../lib/cloudprovider/ec2-model/instance-facts.ts';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

const m5Large: InstanceFacts = {
  name: 'm5.large',
  vcpus: 2,
  memoryMiB: 8192,
  architecture: 'amd64',
  cpuManufacturer: 'Intel',
  hypervisor: 'nitro',
  bareMetal: false,
  maxEnis: 3,
  ipv4PerEni: 10,
  branchEnis: 9,
};

const offering = {
  zone: 'us-east-1a',
  capacityType: 'on-demand',
  price: 0.096,
  available: true,
} as const;

describe('instanceTypeFromFacts', () => {
  it('computes the capacity and overhead of an m5.large as Karpenter does', () => {
    // Prepare: m5.large facts, AL2023 and no kubelet overrides (the defaults)
    // Act
    const instanceType = instanceTypeFromFacts(m5Large, [offering]);
    const result = allocatable(instanceType);
    // Assess
    expect(instanceType.capacity.memory).toBe(7577 * MiB);
    expect(instanceType.overhead.kubeReserved).toEqual({
      cpu: 70,
      memory: 574 * MiB,
      'ephemeral-storage': GiB,
    });
    expect(result.cpu).toBe(1930);
    expect(result.memory).toBe(6903 * MiB);
    expect(result.pods).toBe(29);
    expect(instanceType.offerings).toEqual([offering]);
  });

  it('keeps 64 MiB back on arm64 before taking the VM overhead', () => {
    // Prepare
    const m6gLarge: InstanceFacts = {
      ...m5Large,
      name: 'm6g.large',
      architecture: 'arm64',
      cpuManufacturer: 'AWS',
    };
    // Act
    const instanceType = instanceTypeFromFacts(m6gLarge, []);
    // Assess: 8128 − ceil(8128 × 0.075 = 609.6) = 7518
    expect(instanceType.capacity.memory).toBe(7518 * MiB);
    expect(instanceType.labels[Labels.arch]).toBe('arm64');
  });

  it('takes the VM overhead percentage from the options', () => {
    // Act
    const instanceType = instanceTypeFromFacts(m5Large, [], { vmMemoryOverheadPercent: 0.1 });
    // Assess: 8192 − ceil(819.2) = 7372
    expect(instanceType.capacity.memory).toBe(7372 * MiB);
  });

  it('uses kubelet maxPods instead of the ENI limit, and kube-reserved memory stays ENI-based on AL2023', () => {
    // Act
    const instanceType = instanceTypeFromFacts(m5Large, [], { kubelet: { maxPods: 50 } });
    // Assess
    expect(instanceType.capacity.pods).toBe(50);
    expect(instanceType.overhead.kubeReserved.memory).toBe(574 * MiB);
  });

  it('caps pods at podsPerCore × vCPUs', () => {
    // Act
    const capped = instanceTypeFromFacts(m5Large, [], { kubelet: { podsPerCore: 4 } });
    const bottlerocket = instanceTypeFromFacts(m5Large, [], {
      amiFamily: 'Bottlerocket',
      kubelet: { podsPerCore: 4 },
    });
    // Assess: Bottlerocket ignores podsPerCore
    expect(capped.capacity.pods).toBe(8);
    expect(bottlerocket.capacity.pods).toBe(29);
  });

  it('lets kubeReserved and systemReserved override or add to the computed overhead', () => {
    // Prepare
    const kubelet = {
      kubeReserved: { cpu: '200m', memory: '1Gi', pid: '100' },
      systemReserved: { memory: '100Mi' },
    };
    // Act
    const instanceType = instanceTypeFromFacts(m5Large, [], { kubelet });
    const result = allocatable(instanceType);
    // Assess: pid is not a schedulable resource, so it is not tracked
    expect(instanceType.overhead.kubeReserved).toEqual({
      cpu: 200,
      memory: GiB,
      'ephemeral-storage': GiB,
    });
    expect(result.cpu).toBe(1800);
    expect(result.memory).toBe((7577 - 1024 - 100 - 100) * MiB);
  });

  it('takes evictionHard as quantities or percentages', () => {
    // Prepare
    const kubelet = { evictionHard: { 'memory.available': '5%', 'nodefs.available': '15%' } };
    // Act
    const { overhead, capacity } = instanceTypeFromFacts(m5Large, [], { kubelet });
    // Assess
    expect(overhead.evictionThreshold.memory).toBe(Math.ceil(capacity.memory! * 0.05));
    expect(overhead.evictionThreshold['ephemeral-storage']).toBe(Math.ceil(20 * GiB * 0.15));
  });

  it('defaults the eviction threshold to 100Mi of memory and 10% of a 20Gi root volume', () => {
    // Act
    const { overhead, capacity } = instanceTypeFromFacts(m5Large, []);
    // Assess
    expect(capacity['ephemeral-storage']).toBe(20 * GiB);
    expect(overhead.evictionThreshold).toEqual({ memory: 100 * MiB, 'ephemeral-storage': 2 * GiB });
  });

  it('takes ephemeral storage from the root volume, or from local NVMe under RAID0', () => {
    // Prepare
    const m5d: InstanceFacts = { ...m5Large, name: 'm5d.large', localNvmeGB: 75 };
    // Act
    const sized = instanceTypeFromFacts(m5Large, [], { ephemeralStorageGiB: 100 });
    const raid = instanceTypeFromFacts(m5d, [], { instanceStorePolicy: 'RAID0' });
    const raidWithoutNvme = instanceTypeFromFacts(m5Large, [], { instanceStorePolicy: 'RAID0' });
    // Assess
    expect(sized.capacity['ephemeral-storage']).toBe(100 * GiB);
    expect(sized.overhead.evictionThreshold['ephemeral-storage']).toBe(10 * GiB);
    expect(raid.capacity['ephemeral-storage']).toBe(75e9);
    expect(raidWithoutNvme.capacity['ephemeral-storage']).toBe(20 * GiB);
  });

  it('subtracts reserved ENIs from the pod density', () => {
    // Act
    const instanceType = instanceTypeFromFacts(m5Large, [], { reservedEnis: 1 });
    // Assess: 2 × 9 + 2
    expect(instanceType.capacity.pods).toBe(20);
  });

  it('leaves no pods when every ENI is reserved', () => {
    // Act
    const instanceType = instanceTypeFromFacts(m5Large, [], { reservedEnis: 3 });
    // Assess
    expect(instanceType.capacity.pods).toBe(0);
  });

  it('advertises GPUs, Neuron devices, EFA and branch ENIs as extended resources', () => {
    // Prepare
    const p4d: InstanceFacts = {
      ...m5Large,
      name: 'p4d.24xlarge',
      vcpus: 96,
      gpu: { name: 'A100', manufacturer: 'NVIDIA', count: 8, memoryMiB: 40960 },
      efaInterfaces: 4,
    };
    const inf2: InstanceFacts = {
      ...m5Large,
      name: 'inf2.xlarge',
      branchEnis: 0,
      accelerator: { name: 'Inferentia2', manufacturer: 'AWS', count: 1, coresPerDevice: 2 },
    };
    const g4ad: InstanceFacts = {
      ...m5Large,
      name: 'g4ad.xlarge',
      gpu: { name: 'Radeon Pro V520', manufacturer: 'AMD', count: 1, memoryMiB: 8192 },
    };
    // Act
    const [gpuType, neuronType, amdType] = [p4d, inf2, g4ad].map((facts) =>
      instanceTypeFromFacts(facts, []),
    );
    // Assess
    expect(gpuType?.capacity).toMatchObject({
      'nvidia.com/gpu': 8,
      'vpc.amazonaws.com/efa': 4,
      'vpc.amazonaws.com/pod-eni': 9,
    });
    expect(neuronType?.capacity).toMatchObject({
      'aws.amazon.com/neuron': 1,
      'aws.amazon.com/neuroncore': 2,
    });
    expect(neuronType?.capacity).not.toHaveProperty('vpc.amazonaws.com/pod-eni');
    expect(amdType?.capacity['amd.com/gpu']).toBe(1);
    expect(amdType?.labels[Labels.instanceGpuName]).toBe('radeon-pro-v520');
  });

  it('labels the type with its well-known labels and leaves unknown facts out', () => {
    // Prepare
    const metal: InstanceFacts = {
      ...m5Large,
      name: 'c7i.metal-48xl',
      vcpus: 192,
      hypervisor: undefined,
      bareMetal: true,
      localNvmeGB: 0,
      networkBandwidthMbps: 50000,
    };
    // Act
    const { labels } = instanceTypeFromFacts(metal, []);
    // Assess
    expect(labels).toEqual({
      [Labels.instanceType]: 'c7i.metal-48xl',
      [Labels.arch]: 'amd64',
      [Labels.os]: 'linux',
      [Labels.instanceCategory]: 'c',
      [Labels.instanceFamily]: 'c7i',
      [Labels.instanceGeneration]: '7',
      [Labels.instanceSize]: 'metal-48xl',
      [Labels.instanceCpu]: '192',
      [Labels.instanceCpuManufacturer]: 'intel',
      [Labels.instanceMemory]: '8192',
      [Labels.instanceNetworkBandwidth]: '50000',
      [Labels.instanceCapabilityFlex]: 'false',
      [Labels.instanceTenancy]: 'default',
    });
  });
});

describe('kubeReservedCpu', () => {
  it.each([
    [1, 60],
    [2, 70],
    [4, 80],
    [8, 90],
    [48, 190],
  ])('reserves the EKS share for %i vCPUs', (vcpus, millicores) => {
    // Act / Assess
    expect(kubeReservedCpu(vcpus)).toBe(millicores);
  });
});

describe('instanceTypeNameParts', () => {
  it.each([
    ['m5.large', { category: 'm', family: 'm5', generation: '5', size: 'large' }],
    ['inf2.xlarge', { category: 'inf', family: 'inf2', generation: '2', size: 'xlarge' }],
    ['c7i-flex.2xlarge', { category: 'c', family: 'c7i-flex', generation: '7', size: '2xlarge' }],
    ['u-6tb1.metal', { category: 'u', family: 'u-6tb1', generation: '1', size: 'metal' }],
  ])('splits %s', (name, parts) => {
    // Act / Assess
    expect(instanceTypeNameParts(name)).toEqual(parts);
  });

  it.each(['m5', 'large', '5m.large', 'm5.'])('rejects %s', (name) => {
    // Act / Assess
    expect(() => instanceTypeNameParts(name)).toThrow(InstanceTypeNameError);
  });
});

describe('kubelet eviction thresholds', () => {
  it('allocatable subtracts evictionHard only, not evictionSoft', () => {
    // Prepare
    const kubelet = {
      evictionHard: { 'memory.available': '50Mi' },
      evictionSoft: { 'memory.available': '1Gi', 'nodefs.available': '50%' },
    };
    // Act
    const instanceType = instanceTypeFromFacts(m5Large, [], { kubelet });
    // Assess
    expect(instanceType.overhead.evictionThreshold).toEqual({
      memory: 50 * MiB,
      'ephemeral-storage': Math.ceil((20 * GiB) / 10),
    });
    expect(allocatable(instanceType).memory).toBe((7577 - 574 - 50) * MiB);
  });
});

describe('max pods for every AMI family', () => {
  it.each(['AL2', 'AL2023', 'Bottlerocket', 'Custom'] as const)(
    '%s is ENI-limited: (3 ENIs × 9 addresses) + 2 = 29 pods',
    (amiFamily) => {
      // Act
      const { capacity, overhead } = instanceTypeFromFacts(m5Large, [], { amiFamily });
      // Assess
      expect(capacity.pods).toBe(29);
      expect(overhead.kubeReserved.memory).toBe((11 * 29 + 255) * MiB);
    },
  );

  it.each(['Windows2019', 'Windows2022'] as const)('%s allows 110 pods', (amiFamily) => {
    // Act
    const { capacity, overhead } = instanceTypeFromFacts(m5Large, [], { amiFamily });
    // Assess
    expect(capacity.pods).toBe(110);
    expect(overhead.kubeReserved.memory).toBe((11 * 110 + 255) * MiB);
  });

  it('maxPods wins; Bottlerocket reserves memory for that count, AL2023 and Custom for the ENI limit', () => {
    // Act
    const [bottlerocket, al2023, custom] = (['Bottlerocket', 'AL2023', 'Custom'] as const).map(
      (amiFamily) => instanceTypeFromFacts(m5Large, [], { amiFamily, kubelet: { maxPods: 100 } }),
    );
    // Assess
    expect([bottlerocket, al2023, custom].map((type) => type?.capacity.pods)).toEqual([
      100, 100, 100,
    ]);
    expect(bottlerocket?.overhead.kubeReserved.memory).toBe((11 * 100 + 255) * MiB);
    expect(al2023?.overhead.kubeReserved.memory).toBe((11 * 29 + 255) * MiB);
    expect(custom?.overhead.kubeReserved.memory).toBe((11 * 29 + 255) * MiB);
  });

  it('with ENI-limited pod density off every family allows 110 pods', () => {
    // Act
    const bottlerocket = instanceTypeFromFacts(m5Large, [], {
      amiFamily: 'Bottlerocket',
      eniLimitedPodDensity: false,
    });
    // Assess
    expect(bottlerocket.capacity.pods).toBe(110);
    expect(bottlerocket.overhead.kubeReserved.memory).toBe((11 * 110 + 255) * MiB);
  });
});
