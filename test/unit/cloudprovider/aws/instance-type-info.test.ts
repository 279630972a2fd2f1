import { describe, expect, it } from 'vitest';
import {
  describedInstanceType,
  InstanceTypeInfoError,
} from '../../../../lib/cloudprovider/aws/instance-type-info.ts';

/** Entries shaped as DescribeInstanceTypes returns them (trimmed to the fields that matter). */
const m5Large = {
  InstanceType: 'm5.large',
  BareMetal: false,
  Hypervisor: 'nitro',
  SupportedUsageClasses: ['on-demand', 'spot'],
  VCpuInfo: { DefaultVCpus: 2 },
  MemoryInfo: { SizeInMiB: 8192 },
  ProcessorInfo: { SupportedArchitectures: ['x86_64'], Manufacturer: 'Intel' },
  NetworkInfo: {
    MaximumNetworkInterfaces: 3,
    Ipv4AddressesPerInterface: 10,
    DefaultNetworkCardIndex: 0,
    NetworkCards: [
      { NetworkCardIndex: 0, MaximumNetworkInterfaces: 3, BaselineBandwidthInGbps: 0.75 },
    ],
  },
};

const p4d = {
  ...m5Large,
  InstanceType: 'p4d.24xlarge',
  SupportedUsageClasses: ['on-demand'],
  VCpuInfo: { DefaultVCpus: 96 },
  MemoryInfo: { SizeInMiB: 1179648 },
  GpuInfo: {
    Gpus: [{ Name: 'A100', Manufacturer: 'NVIDIA', Count: 8, MemoryInfo: { SizeInMiB: 40960 } }],
  },
  InstanceStorageInfo: { TotalSizeInGB: 8000, NvmeSupport: 'required' },
  NetworkInfo: {
    MaximumNetworkInterfaces: 60,
    Ipv4AddressesPerInterface: 50,
    EfaInfo: { MaximumEfaInterfaces: 4 },
    NetworkCards: [0, 1, 2, 3].map((index) => ({
      NetworkCardIndex: index,
      MaximumNetworkInterfaces: 15,
      BaselineBandwidthInGbps: 100,
    })),
  },
};

const inf1 = {
  ...m5Large,
  InstanceType: 'inf1.xlarge',
  NeuronInfo: { NeuronDevices: [{ Name: 'Inferentia', Count: 1, CoreInfo: { Count: 4 } }] },
  InferenceAcceleratorInfo: {
    Accelerators: [{ Name: 'Inferentia', Manufacturer: 'AWS', Count: 1 }],
  },
};

const noBranchEnis = (): number => 0;

describe('describedInstanceType', () => {
  it('turns a plain entry into InstanceFacts and the capacity types EC2 sells', () => {
    // Act
    const described = describedInstanceType(m5Large, (name) => (name === 'm5.large' ? 9 : 0));

    // Assess
    expect(described).toEqual({
      facts: {
        name: 'm5.large',
        vcpus: 2,
        memoryMiB: 8192,
        architecture: 'amd64',
        bareMetal: false,
        maxEnis: 3,
        ipv4PerEni: 10,
        branchEnis: 9,
        cpuManufacturer: 'Intel',
        hypervisor: 'nitro',
        networkBandwidthMbps: 750,
      },
      capacityTypes: ['on-demand', 'spot'],
    });
  });

  it('reads GPUs, EFA, local NVMe and the default network card’s ENIs', () => {
    // Act
    const facts = describedInstanceType(p4d, noBranchEnis)?.facts;

    // Assess
    expect(facts).toMatchObject({
      maxEnis: 15,
      efaInterfaces: 4,
      localNvmeGB: 8000,
      gpu: { name: 'A100', manufacturer: 'NVIDIA', count: 8, memoryMiB: 40960 },
      networkBandwidthMbps: 400_000,
    });
    expect(describedInstanceType(p4d, noBranchEnis)?.capacityTypes).toEqual(['on-demand']);
  });

  it('prefers Neuron facts, with cores per device, for AWS accelerators', () => {
    expect(describedInstanceType(inf1, noBranchEnis)?.facts.accelerator).toEqual({
      name: 'Inferentia',
      manufacturer: 'AWS',
      count: 1,
      coresPerDevice: 4,
    });
  });

  it('skips types that cannot be Kubernetes nodes and names the field of a malformed entry', () => {
    expect(
      describedInstanceType(
        { ...m5Large, ProcessorInfo: { SupportedArchitectures: ['x86_64_mac'] } },
        noBranchEnis,
      ),
    ).toBeUndefined();
    expect(() => describedInstanceType({ ...m5Large, VCpuInfo: {} }, noBranchEnis)).toThrow(
      InstanceTypeInfoError,
    );
    expect(() => describedInstanceType({ ...m5Large, VCpuInfo: {} }, noBranchEnis)).toThrow(
      /^DescribeInstanceTypes entry m5\.large: VCpuInfo\.DefaultVCpus: /,
    );
  });
});
