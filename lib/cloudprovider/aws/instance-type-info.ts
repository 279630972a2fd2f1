/**
 * DescribeInstanceTypes output → InstanceFacts, the input of the shared capacity computation.
 * The SDK types every field as optional, so the fields Skyscale relies on are checked here and a
 * malformed entry fails with the path of the field that is wrong.
 */
import { z } from 'zod';
import { formatZodIssues } from '../../apis/zod-issues.ts';
import type { AcceleratorFacts, Architecture, InstanceFacts } from '../ec2-model/instance-facts.ts';

const InstanceTypeInfoSchema = z.looseObject({
  InstanceType: z.string().min(1),
  BareMetal: z.boolean().optional(),
  Hypervisor: z.string().optional(),
  SupportedUsageClasses: z.array(z.string()).optional(),
  VCpuInfo: z.looseObject({ DefaultVCpus: z.int().positive() }),
  MemoryInfo: z.looseObject({ SizeInMiB: z.int().positive() }),
  ProcessorInfo: z.looseObject({
    SupportedArchitectures: z.array(z.string()).min(1),
    Manufacturer: z.string().optional(),
  }),
  NetworkInfo: z.looseObject({
    MaximumNetworkInterfaces: z.int().nonnegative(),
    Ipv4AddressesPerInterface: z.int().positive(),
    DefaultNetworkCardIndex: z.int().nonnegative().optional(),
    NetworkCards: z
      .array(
        z.looseObject({
          NetworkCardIndex: z.int().nonnegative().optional(),
          MaximumNetworkInterfaces: z.int().nonnegative().optional(),
          BaselineBandwidthInGbps: z.number().nonnegative().optional(),
        }),
      )
      .optional(),
    EfaInfo: z.looseObject({ MaximumEfaInterfaces: z.int().nonnegative().optional() }).optional(),
  }),
  GpuInfo: z
    .looseObject({
      Gpus: z
        .array(
          z.looseObject({
            Name: z.string(),
            Manufacturer: z.string(),
            Count: z.int().nonnegative(),
            MemoryInfo: z.looseObject({ SizeInMiB: z.int().nonnegative() }),
          }),
        )
        .optional(),
    })
    .optional(),
  NeuronInfo: z
    .looseObject({
      NeuronDevices: z
        .array(
          z.looseObject({
            Name: z.string(),
            Count: z.int().positive(),
            CoreInfo: z.looseObject({ Count: z.int().positive() }).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  InferenceAcceleratorInfo: z
    .looseObject({
      Accelerators: z
        .array(
          z.looseObject({ Name: z.string(), Manufacturer: z.string(), Count: z.int().positive() }),
        )
        .optional(),
    })
    .optional(),
  InstanceStorageInfo: z
    .looseObject({
      TotalSizeInGB: z.number().nonnegative().optional(),
      NvmeSupport: z.string().optional(),
    })
    .optional(),
});
type InstanceTypeInfo = z.infer<typeof InstanceTypeInfoSchema>;

export class InstanceTypeInfoError extends Error {
  override readonly name = 'InstanceTypeInfoError';
}

function architectureOf(info: InstanceTypeInfo): Architecture | undefined {
  const architectures = info.ProcessorInfo.SupportedArchitectures;
  if (architectures.includes('arm64')) return 'arm64';
  if (architectures.includes('x86_64')) return 'amd64';
  return undefined; // Mac and i386-only types cannot run EKS nodes.
}

function acceleratorOf(info: InstanceTypeInfo): AcceleratorFacts | undefined {
  const neuron = info.NeuronInfo?.NeuronDevices?.[0];
  if (neuron) {
    const accelerator = { name: neuron.Name, manufacturer: 'AWS', count: neuron.Count };
    return neuron.CoreInfo
      ? { ...accelerator, coresPerDevice: neuron.CoreInfo.Count }
      : accelerator;
  }
  const inference = info.InferenceAcceleratorInfo?.Accelerators?.[0];
  return (
    inference && {
      name: inference.Name,
      manufacturer: inference.Manufacturer,
      count: inference.Count,
    }
  );
}

/** The VPC CNI attaches ENIs on the default network card only. */
function enisOnDefaultCard(network: InstanceTypeInfo['NetworkInfo']): number {
  const index = network.DefaultNetworkCardIndex ?? 0;
  const card = network.NetworkCards?.find(
    (candidate) => (candidate.NetworkCardIndex ?? 0) === index,
  );
  return card?.MaximumNetworkInterfaces ?? network.MaximumNetworkInterfaces;
}

export type MarketCapacityType = 'on-demand' | 'spot';

export interface DescribedInstanceType {
  readonly facts: InstanceFacts;
  /** The capacity types EC2 sells this type as (reserved capacity is never listed here). */
  readonly capacityTypes: readonly MarketCapacityType[];
}

/**
 * The facts of one DescribeInstanceTypes entry, or undefined for a type that cannot be a
 * Kubernetes node here. Branch ENIs are not in the EC2 API; `branchEnis` supplies them.
 */
export function describedInstanceType(
  raw: unknown,
  branchEnis: (instanceType: string) => number,
): DescribedInstanceType | undefined {
  const parsed = InstanceTypeInfoSchema.safeParse(raw);
  if (!parsed.success) {
    const name = (raw as { InstanceType?: unknown } | null)?.InstanceType;
    const problems = formatZodIssues(parsed.error).join('; ');
    throw new InstanceTypeInfoError(`DescribeInstanceTypes entry ${String(name)}: ${problems}`);
  }
  const info = parsed.data;
  const architecture = architectureOf(info);
  if (!architecture) return undefined;
  const gpu = info.GpuInfo?.Gpus?.find((device) => device.Count > 0);
  const accelerator = acceleratorOf(info);
  const bandwidthGbps = (info.NetworkInfo.NetworkCards ?? []).reduce(
    (sum, card) => sum + (card.BaselineBandwidthInGbps ?? 0),
    0,
  );
  const storage = info.InstanceStorageInfo;
  const facts: InstanceFacts = {
    name: info.InstanceType,
    vcpus: info.VCpuInfo.DefaultVCpus,
    memoryMiB: info.MemoryInfo.SizeInMiB,
    architecture,
    bareMetal: info.BareMetal ?? false,
    maxEnis: enisOnDefaultCard(info.NetworkInfo),
    ipv4PerEni: info.NetworkInfo.Ipv4AddressesPerInterface,
    branchEnis: branchEnis(info.InstanceType),
    ...(info.ProcessorInfo.Manufacturer
      ? { cpuManufacturer: info.ProcessorInfo.Manufacturer }
      : {}),
    ...(info.Hypervisor ? { hypervisor: info.Hypervisor } : {}),
    ...(info.NetworkInfo.EfaInfo?.MaximumEfaInterfaces
      ? { efaInterfaces: info.NetworkInfo.EfaInfo.MaximumEfaInterfaces }
      : {}),
    ...(gpu
      ? {
          gpu: {
            name: gpu.Name,
            manufacturer: gpu.Manufacturer,
            count: gpu.Count,
            memoryMiB: gpu.MemoryInfo.SizeInMiB,
          },
        }
      : {}),
    ...(accelerator ? { accelerator } : {}),
    ...(storage?.TotalSizeInGB && storage.NvmeSupport !== 'unsupported'
      ? { localNvmeGB: storage.TotalSizeInGB }
      : {}),
    ...(bandwidthGbps > 0 ? { networkBandwidthMbps: Math.round(bandwidthGbps * 1000) } : {}),
  };
  const capacityTypes = (['on-demand', 'spot'] as const).filter((type) =>
    (info.SupportedUsageClasses ?? ['on-demand']).includes(type),
  );
  return { facts, capacityTypes };
}
