/**
 * Capacity and overhead of a real EC2 instance type, computed as Karpenter's AWS provider does
 * (https://github.com/aws/karpenter-provider-aws/blob/main/pkg/providers/instancetype/types.go),
 * so the scheduler's allocatable matches what the node reports.
 */
import type { AmiFamily } from '../../apis/ec2nodeclass.ts';
import type { KubeletConfiguration } from '../../apis/ec2nodeclass-kubelet.ts';
import { type Resources, resourceValue } from '../../apis/quantity.ts';
import type { InstanceFacts } from './instance-facts.ts';
import { instanceTypeLabels } from './instance-labels.ts';
import type { InstanceType, Offering, Overhead } from '../types.ts';

export type { AmiFamily };

/** The EC2NodeClass `kubelet` fields that change capacity or overhead. */
export type KubeletCapacitySettings = Pick<
  KubeletConfiguration,
  'maxPods' | 'podsPerCore' | 'kubeReserved' | 'systemReserved' | 'evictionHard'
>;

export interface CapacityOptions {
  readonly kubelet?: KubeletCapacitySettings;
  /** @default 'AL2023' */
  readonly amiFamily?: AmiFamily;
  /** Share of memory the hypervisor keeps. @default 0.075 */
  readonly vmMemoryOverheadPercent?: number;
  /** ENIs kept out of pod networking (Karpenter's RESERVED_ENIS). @default 0 */
  readonly reservedEnis?: number;
  /** Families that support it cap pods at what the VPC CNI can address; off, they allow 110. @default true */
  readonly eniLimitedPodDensity?: boolean;
  /** Size of the volume the kubelet uses for ephemeral storage. @default 20 */
  readonly ephemeralStorageGiB?: number;
  /** RAID0: the kubelet's ephemeral storage is the local NVMe, on types that have it. */
  readonly instanceStorePolicy?: 'RAID0';
}

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const DEFAULT_VM_MEMORY_OVERHEAD = 0.075;
const DEFAULT_EPHEMERAL_STORAGE_GIB = 20;
const DEFAULT_MAX_PODS = 110;
/** Graviton keeps 64 MiB for its contiguous memory allocator. */
const ARM64_CMA_MiB = 64;
/** Families whose pod count is ENI-limited by default (Windows allows 110). */
const ENI_LIMITED_POD_FAMILIES: ReadonlySet<AmiFamily> = new Set([
  'AL2',
  'AL2023',
  'Bottlerocket',
  'Custom',
]);
/** Families whose kube-reserved memory follows the ENI-limited pod count whatever the max pods. */
const ENI_LIMITED_MEMORY_FAMILIES: ReadonlySet<AmiFamily> = new Set(['AL2', 'AL2023', 'Custom']);
/** Families whose kubelet honours podsPerCore. */
const PODS_PER_CORE_FAMILIES: ReadonlySet<AmiFamily> = new Set([
  'AL2',
  'AL2023',
  'Custom',
  'Windows2019',
  'Windows2022',
]);
const RESERVED_RESOURCES: ReadonlySet<string> = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** kube-reserved cpu: a share of each band of millicores (Bottlerocket's and EKS's formula). */
const KUBE_RESERVED_CPU_BANDS = [
  { from: 0, to: 1000, share: 0.06 },
  { from: 1000, to: 2000, share: 0.01 },
  { from: 2000, to: 4000, share: 0.005 },
  { from: 4000, to: Number.POSITIVE_INFINITY, share: 0.0025 },
] as const;

/** Pods the VPC CNI can address: one IP per secondary address of each usable ENI, plus 2 host-network pods. */
export function eniLimitedPods(facts: InstanceFacts, reservedEnis = 0): number {
  const usableEnis = Math.max(0, facts.maxEnis - reservedEnis);
  return usableEnis === 0 ? 0 : usableEnis * (facts.ipv4PerEni - 1) + 2;
}

export function podCapacity(facts: InstanceFacts, options: CapacityOptions = {}): number {
  const family = options.amiFamily ?? 'AL2023';
  const { maxPods, podsPerCore } = options.kubelet ?? {};
  let pods: number;
  if (maxPods !== undefined) pods = maxPods;
  else if ((options.eniLimitedPodDensity ?? true) && ENI_LIMITED_POD_FAMILIES.has(family))
    pods = eniLimitedPods(facts, options.reservedEnis);
  else pods = DEFAULT_MAX_PODS;
  if (podsPerCore !== undefined && podsPerCore > 0 && PODS_PER_CORE_FAMILIES.has(family)) {
    pods = Math.min(pods, podsPerCore * facts.vcpus);
  }
  return pods;
}

/** Memory the node reports, in bytes: total, minus Graviton's CMA, minus the VM overhead. */
export function memoryCapacity(
  facts: InstanceFacts,
  vmMemoryOverheadPercent = DEFAULT_VM_MEMORY_OVERHEAD,
): number {
  const mib = facts.memoryMiB - (facts.architecture === 'arm64' ? ARM64_CMA_MiB : 0);
  return (mib - Math.ceil(mib * vmMemoryOverheadPercent)) * MiB;
}

export function kubeReservedCpu(vcpus: number): number {
  const millicores = vcpus * 1000;
  let reserved = 0;
  for (const band of KUBE_RESERVED_CPU_BANDS) {
    if (millicores < band.from) break;
    reserved += Math.trunc((Math.min(millicores, band.to) - band.from) * band.share);
  }
  return reserved;
}

/** Accelerators and network devices the node advertises as extended resources. */
export function extendedResources(facts: InstanceFacts): Record<string, number> {
  const resources: Record<string, number> = {};
  const gpuResource = { NVIDIA: 'nvidia.com/gpu', AMD: 'amd.com/gpu', Habana: 'habana.ai/gaudi' }[
    facts.gpu?.manufacturer ?? ''
  ];
  if (facts.gpu && gpuResource) resources[gpuResource] = facts.gpu.count;
  if (facts.accelerator?.manufacturer === 'AWS') {
    resources['aws.amazon.com/neuron'] = facts.accelerator.count;
    if (facts.accelerator.coresPerDevice) {
      resources['aws.amazon.com/neuroncore'] =
        facts.accelerator.count * facts.accelerator.coresPerDevice;
    }
  }
  if (facts.efaInterfaces) resources['vpc.amazonaws.com/efa'] = facts.efaInterfaces;
  if (facts.branchEnis > 0) resources['vpc.amazonaws.com/pod-eni'] = facts.branchEnis;
  return resources;
}

function reservedResources(
  list: Readonly<Partial<Record<string, string>>> | undefined,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, quantity] of Object.entries(list ?? {})) {
    if (quantity !== undefined && RESERVED_RESOURCES.has(name)) {
      out[name] = resourceValue(name, quantity);
    }
  }
  return out;
}

/** An eviction signal is an absolute quantity or a percentage of the resource's capacity. */
function evictionSignal(capacity: number, signal: string): number {
  if (signal.endsWith('%')) return Math.ceil((capacity * Number(signal.slice(0, -1))) / 100);
  return resourceValue('memory', signal);
}

/**
 * The hard eviction thresholds the kubelet keeps free. Soft thresholds only start graceful
 * eviction, so they do not reduce allocatable (as in Karpenter's current provider).
 */
function evictionThreshold(
  memory: number,
  storage: number,
  kubelet: KubeletCapacitySettings | undefined,
): Record<string, number> {
  const memorySignal = kubelet?.evictionHard?.['memory.available'];
  const storageSignal = kubelet?.evictionHard?.['nodefs.available'];
  return {
    memory: memorySignal === undefined ? 100 * MiB : evictionSignal(memory, memorySignal),
    'ephemeral-storage':
      storageSignal === undefined
        ? Math.ceil(storage / 10)
        : evictionSignal(storage, storageSignal),
  };
}

export interface CapacityAndOverhead {
  readonly capacity: Resources;
  readonly overhead: Overhead;
}

export function capacityAndOverhead(
  facts: InstanceFacts,
  options: CapacityOptions = {},
): CapacityAndOverhead {
  const family = options.amiFamily ?? 'AL2023';
  const memory = memoryCapacity(facts, options.vmMemoryOverheadPercent);
  const storage =
    options.instanceStorePolicy === 'RAID0' && facts.localNvmeGB
      ? facts.localNvmeGB * 1e9
      : (options.ephemeralStorageGiB ?? DEFAULT_EPHEMERAL_STORAGE_GIB) * GiB;
  const pods = podCapacity(facts, options);
  const podsForMemoryOverhead = ENI_LIMITED_MEMORY_FAMILIES.has(family)
    ? eniLimitedPods(facts, options.reservedEnis)
    : pods;
  const computedKubeReserved = {
    cpu: kubeReservedCpu(facts.vcpus),
    memory: (11 * podsForMemoryOverhead + 255) * MiB,
    'ephemeral-storage': GiB,
  };
  return {
    capacity: {
      cpu: facts.vcpus * 1000,
      memory,
      'ephemeral-storage': storage,
      pods,
      ...extendedResources(facts),
    },
    overhead: {
      kubeReserved: {
        ...computedKubeReserved,
        ...reservedResources(options.kubelet?.kubeReserved),
      },
      systemReserved: reservedResources(options.kubelet?.systemReserved),
      evictionThreshold: evictionThreshold(memory, storage, options.kubelet),
    },
  };
}

/** capacity − kube-reserved − system-reserved − eviction threshold, per resource. */
export function instanceTypeFromFacts(
  facts: InstanceFacts,
  offerings: readonly Offering[],
  options: CapacityOptions = {},
): InstanceType {
  return {
    name: facts.name,
    labels: instanceTypeLabels(facts),
    ...capacityAndOverhead(facts, options),
    offerings,
  };
}
