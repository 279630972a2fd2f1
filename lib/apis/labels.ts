/** Well-known labels, annotations, taints and the finalizer (Karpenter v1, core and AWS provider). */

export const KARPENTER_GROUP = 'karpenter.sh';
export const AWS_GROUP = 'karpenter.k8s.aws';

export const Labels = {
  nodePool: 'karpenter.sh/nodepool',
  registered: 'karpenter.sh/registered',
  initialized: 'karpenter.sh/initialized',
  capacityType: 'karpenter.sh/capacity-type',
  zone: 'topology.kubernetes.io/zone',
  region: 'topology.kubernetes.io/region',
  instanceType: 'node.kubernetes.io/instance-type',
  arch: 'kubernetes.io/arch',
  os: 'kubernetes.io/os',
  hostname: 'kubernetes.io/hostname',
  /** Set while a node drains so that load balancers stop sending it traffic. */
  excludeFromLoadBalancers: 'node.kubernetes.io/exclude-from-external-load-balancers',
  windowsBuild: 'node.kubernetes.io/windows-build',
  ec2NodeClass: 'karpenter.k8s.aws/ec2nodeclass',
  zoneId: 'topology.k8s.aws/zone-id',
  capacityReservationId: 'karpenter.k8s.aws/capacity-reservation-id',
  instanceCategory: 'karpenter.k8s.aws/instance-category',
  instanceFamily: 'karpenter.k8s.aws/instance-family',
  instanceGeneration: 'karpenter.k8s.aws/instance-generation',
  instanceSize: 'karpenter.k8s.aws/instance-size',
  instanceCpu: 'karpenter.k8s.aws/instance-cpu',
  instanceCpuManufacturer: 'karpenter.k8s.aws/instance-cpu-manufacturer',
  instanceCpuSustainedClockSpeedMhz: 'karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz',
  instanceMemory: 'karpenter.k8s.aws/instance-memory',
  instanceEbsBandwidth: 'karpenter.k8s.aws/instance-ebs-bandwidth',
  instanceNetworkBandwidth: 'karpenter.k8s.aws/instance-network-bandwidth',
  instanceGpuName: 'karpenter.k8s.aws/instance-gpu-name',
  instanceGpuManufacturer: 'karpenter.k8s.aws/instance-gpu-manufacturer',
  instanceGpuCount: 'karpenter.k8s.aws/instance-gpu-count',
  instanceGpuMemory: 'karpenter.k8s.aws/instance-gpu-memory',
  instanceAcceleratorName: 'karpenter.k8s.aws/instance-accelerator-name',
  instanceAcceleratorManufacturer: 'karpenter.k8s.aws/instance-accelerator-manufacturer',
  instanceAcceleratorCount: 'karpenter.k8s.aws/instance-accelerator-count',
  instanceLocalNvme: 'karpenter.k8s.aws/instance-local-nvme',
  instanceHypervisor: 'karpenter.k8s.aws/instance-hypervisor',
  instanceEncryptionInTransitSupported:
    'karpenter.k8s.aws/instance-encryption-in-transit-supported',
  instanceCapabilityFlex: 'karpenter.k8s.aws/instance-capability-flex',
  instanceTenancy: 'karpenter.k8s.aws/instance-tenancy',
} as const;

/**
 * Deprecated and alias labels Karpenter reads as the current ones wherever a requirement is
 * built (pod node selectors and affinities, NodePool requirements, node labels).
 */
export const NORMALIZED_LABELS: ReadonlyMap<string, string> = new Map([
  ['beta.kubernetes.io/arch', Labels.arch],
  ['beta.kubernetes.io/os', Labels.os],
  ['beta.kubernetes.io/instance-type', Labels.instanceType],
  ['failure-domain.beta.kubernetes.io/zone', Labels.zone],
  ['failure-domain.beta.kubernetes.io/region', Labels.region],
  ['topology.ebs.csi.aws.com/zone', Labels.zone],
]);

/** The current label `key` stands for (itself unless it is deprecated or an alias). */
export function normalizedLabelKey(key: string): string {
  return NORMALIZED_LABELS.get(key) ?? key;
}

/** Labels Karpenter understands in requirements; users may set them although their domain is restricted. */
export const WELL_KNOWN_LABELS: ReadonlySet<string> = new Set(
  Object.values(Labels).filter(
    (label) =>
      label !== Labels.hostname &&
      label !== Labels.registered &&
      label !== Labels.initialized &&
      label !== Labels.excludeFromLoadBalancers,
  ),
);

/**
 * Labels an instance type decides by carrying or lacking them: a type without one (no GPU, no
 * local NVMe) satisfies only requirements that allow the label to be absent, as the AWS
 * provider's `DoesNotExist` requirements for those labels make it.
 */
export const INSTANCE_TYPE_LABELS: ReadonlySet<string> = new Set(
  Object.values(Labels).filter(
    (label) =>
      label === Labels.instanceType ||
      label === Labels.arch ||
      label === Labels.os ||
      label === Labels.windowsBuild ||
      label.startsWith(`${AWS_GROUP}/instance-`),
  ),
);

/** Label domains only Karpenter and Kubernetes may set, except for the well-known labels. */
export const RESTRICTED_LABEL_DOMAINS: readonly string[] = [
  'kubernetes.io',
  'k8s.io',
  'karpenter.sh',
  'karpenter.k8s.aws',
];

/** Subdomains of restricted domains that users may still set. */
export const ALLOWED_LABEL_DOMAINS: readonly string[] = [
  'node.kubernetes.io',
  'node-restriction.kubernetes.io',
  'kops.k8s.io',
];

/** Labels that may never appear in a NodePool's requirements or template labels. */
export const FORBIDDEN_REQUIREMENT_LABELS: ReadonlySet<string> = new Set([Labels.hostname]);

function domainOf(key: string): string | undefined {
  const slash = key.indexOf('/');
  return slash < 0 ? undefined : key.slice(0, slash);
}

function withinDomain(domain: string, parent: string): boolean {
  return domain === parent || domain.endsWith(`.${parent}`);
}

/** The restricted domain `key` falls in, or undefined when users may set it. */
export function restrictedLabelDomain(key: string): string | undefined {
  if (WELL_KNOWN_LABELS.has(key)) return undefined;
  const domain = domainOf(key);
  if (domain === undefined) return undefined;
  if (ALLOWED_LABEL_DOMAINS.some((allowed) => withinDomain(domain, allowed))) return undefined;
  return RESTRICTED_LABEL_DOMAINS.find((parent) => withinDomain(domain, parent));
}

/** Why `key` may not be set by a user on a NodePool, or undefined when it may. */
export function restrictedLabelReason(key: string): string | undefined {
  if (FORBIDDEN_REQUIREMENT_LABELS.has(key)) return `label "${key}" is restricted`;
  const restricted = restrictedLabelDomain(key);
  return restricted ? `label domain "${restricted}" is restricted` : undefined;
}

export const Annotations = {
  doNotDisrupt: 'karpenter.sh/do-not-disrupt',
  nodePoolHash: 'karpenter.sh/nodepool-hash',
  nodePoolHashVersion: 'karpenter.sh/nodepool-hash-version',
  nodeClaimTerminationTimestamp: 'karpenter.sh/nodeclaim-termination-timestamp',
  ec2NodeClassHash: 'karpenter.k8s.aws/ec2nodeclass-hash',
  ec2NodeClassHashVersion: 'karpenter.k8s.aws/ec2nodeclass-hash-version',
} as const;

export const Taints = {
  disrupted: { key: 'karpenter.sh/disrupted', effect: 'NoSchedule' },
  unregistered: { key: 'karpenter.sh/unregistered', effect: 'NoExecute' },
} as const;

/** Taints the node lifecycle and cloud controllers add and remove on their own; a node is initialized once none is left. */
export const EPHEMERAL_TAINT_KEYS: ReadonlySet<string> = new Set([
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
  'node.cloudprovider.kubernetes.io/uninitialized',
  Taints.unregistered.key,
]);

export const TERMINATION_FINALIZER = 'karpenter.sh/termination';

export const CapacityTypes = ['reserved', 'spot', 'on-demand'] as const;
export type CapacityType = (typeof CapacityTypes)[number];
