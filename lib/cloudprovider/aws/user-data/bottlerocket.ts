import { parse, stringify, TomlError } from 'smol-toml';
import { CloudProviderError } from '../../errors.ts';
import { kubeletSettableLabels, type BootstrapOptions } from './bootstrap-options.ts';

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

function table(parent: Table, key: string): Table {
  const existing = parent[key];
  if (isTable(existing)) return existing;
  const created: Table = {};
  parent[key] = created;
  return created;
}

function parseCustom(userData: string | undefined): Table {
  if (!userData?.trim()) return {};
  try {
    return parse(userData);
  } catch (error) {
    const where = error instanceof TomlError ? ` (line ${error.line}, column ${error.column})` : '';
    throw new CloudProviderError(`userData: Bottlerocket user data is not valid TOML${where}`, {
      cause: error,
    });
  }
}

/** EC2NodeClass `kubelet` fields → Bottlerocket's `settings.kubernetes` keys. */
const KUBELET_SETTINGS: Readonly<Record<string, string>> = {
  clusterDNS: 'cluster-dns-ip',
  podsPerCore: 'pods-per-core',
  kubeReserved: 'kube-reserved',
  systemReserved: 'system-reserved',
  evictionHard: 'eviction-hard',
  evictionSoft: 'eviction-soft',
  evictionSoftGracePeriod: 'eviction-soft-grace-period',
  evictionMaxPodGracePeriod: 'eviction-max-pod-grace-period',
  imageGCHighThresholdPercent: 'image-gc-high-threshold-percent',
  imageGCLowThresholdPercent: 'image-gc-low-threshold-percent',
  cpuCFSQuota: 'cpu-cfs-quota-enforced',
};

/**
 * Bottlerocket user data: the custom TOML settings with the node class's kubelet settings, the
 * cluster's identity and the node's max pods, labels and taints written over them (labels and
 * taints are merged key by key).
 */
export function bottlerocketUserData(options: BootstrapOptions): string {
  const document = parseCustom(options.customUserData);
  const kubernetes = table(table(document, 'settings'), 'kubernetes');
  for (const [field, value] of Object.entries(options.kubelet ?? {})) {
    const setting = KUBELET_SETTINGS[field];
    if (setting && value !== undefined) kubernetes[setting] = value;
  }
  kubernetes['cluster-name'] = options.cluster.name;
  kubernetes['api-server'] = options.cluster.endpoint;
  kubernetes['cluster-certificate'] = options.cluster.certificateAuthority;
  kubernetes['max-pods'] = options.maxPods;
  Object.assign(table(kubernetes, 'node-labels'), kubeletSettableLabels(options.labels));
  const taints = table(kubernetes, 'node-taints');
  for (const taint of options.taints) {
    const entry = `${taint.value ?? ''}:${taint.effect}`;
    const current = Array.isArray(taints[taint.key]) ? (taints[taint.key] as string[]) : [];
    if (!current.includes(entry)) taints[taint.key] = [...current, entry];
  }
  return stringify(document);
}
