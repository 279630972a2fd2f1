/**
 * The raw facts about one EC2 instance type, as DescribeInstanceTypes reports them (or as the
 * embedded catalog records them). Capacity, overhead and labels are computed from these by
 * `instanceTypeFromFacts`, the one implementation shared by the embedded catalog and the EC2
 * adapter.
 */

export type Architecture = 'amd64' | 'arm64';

/** One kind of GPU on the type (EC2 `GpuInfo.Gpus[]`). */
export interface GpuFacts {
  readonly name: string;
  readonly manufacturer: string;
  readonly count: number;
  /** Memory of ONE device, in MiB (EC2 `GpuDeviceInfo.MemoryInfo.SizeInMiB`). */
  readonly memoryMiB: number;
}

/** One kind of inference/training accelerator (EC2 `InferenceAcceleratorInfo` or `NeuronInfo`). */
export interface AcceleratorFacts {
  readonly name: string;
  readonly manufacturer: string;
  readonly count: number;
  /** Neuron cores per device, when EC2 reports it (`NeuronInfo.NeuronDevices[].CoreInfo.Count`). */
  readonly coresPerDevice?: number;
}

export interface InstanceFacts {
  readonly name: string;
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly architecture: Architecture;
  /** e.g. Intel, AMD, AWS. */
  readonly cpuManufacturer?: string;
  /** nitro or xen; absent on bare metal. */
  readonly hypervisor?: string;
  readonly bareMetal: boolean;
  /** Maximum ENIs on the default network card. */
  readonly maxEnis: number;
  readonly ipv4PerEni: number;
  /** Branch ENIs for security groups for pods; 0 when the type does not support trunking. */
  readonly branchEnis: number;
  readonly efaInterfaces?: number;
  readonly gpu?: GpuFacts;
  readonly accelerator?: AcceleratorFacts;
  /** Total local NVMe instance storage in GB (EC2 `InstanceStorageInfo.TotalSizeInGB`). */
  readonly localNvmeGB?: number;
  /** Sustained network bandwidth in Mbps, when EC2 states a fixed figure. */
  readonly networkBandwidthMbps?: number;
}

/** The parts of an instance-type name that Karpenter turns into labels. */
export interface InstanceTypeNameParts {
  /** Letters before the generation: `m` for m5.large, `inf` for inf2.xlarge. */
  readonly category: string;
  /** Everything before the dot: `m5`, `c7i-flex`, `u-6tb1`. */
  readonly family: string;
  readonly generation: string;
  /** Everything after the dot: `large`, `metal-48xl`. */
  readonly size: string;
}

// Category letters, an optional memory tag (u-6tb1), then the generation digits.
const FAMILY_SCHEME = /^([a-z]+)(?:-[0-9]+tb)?([0-9]+)/;

export class InstanceTypeNameError extends Error {
  override readonly name = 'InstanceTypeNameError';
}

export function instanceTypeNameParts(name: string): InstanceTypeNameParts {
  const dot = name.indexOf('.');
  const family = dot < 0 ? '' : name.slice(0, dot);
  const size = dot < 0 ? '' : name.slice(dot + 1);
  const match = FAMILY_SCHEME.exec(family);
  if (!match || size === '') {
    throw new InstanceTypeNameError(`"${name}" is not an EC2 instance-type name (family.size)`);
  }
  return { category: match[1] ?? '', family, generation: match[2] ?? '', size };
}
