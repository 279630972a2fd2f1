/** What a node needs to join the cluster, independent of the AMI family that formats it. */
import type { Taint } from '../../../apis/core/taint.ts';

export type NodeTaint = Pick<Taint, 'key' | 'value' | 'effect'>;

export interface ClusterConnection {
  readonly name: string;
  readonly endpoint: string;
  /** Base64-encoded PEM bundle of the API server's CA. */
  readonly certificateAuthority: string;
  /** The cluster's service CIDR, from which nodeadm derives the cluster DNS address. */
  readonly serviceCidr: string;
}

export interface BootstrapOptions {
  readonly cluster: ClusterConnection;
  /** Labels the kubelet registers the node with. */
  readonly labels: Readonly<Record<string, string>>;
  /** Taints the kubelet registers the node with (the NodeClaim's taints and startup taints). */
  readonly taints: readonly NodeTaint[];
  /** The pods capacity the scheduler assumed for the instance types this user data serves. */
  readonly maxPods: number;
  /** The EC2NodeClass's `kubelet` block (KubeletConfiguration field names). */
  readonly kubelet?: Readonly<Record<string, unknown>>;
  /** `RAID0`: assemble the local NVMe instance stores into one array for the kubelet and containers. */
  readonly instanceStorePolicy?: 'RAID0';
  /** The EC2NodeClass's own `userData`, merged with the generated bootstrap. */
  readonly customUserData?: string;
}

const KUBELET_RESTRICTED_DOMAINS = ['kubernetes.io', 'k8s.io'];
const KUBELET_ALLOWED_DOMAINS = ['node.kubernetes.io', 'kubelet.kubernetes.io'];

function withinDomain(domain: string, parent: string): boolean {
  return domain === parent || domain.endsWith(`.${parent}`);
}

/**
 * The labels the kubelet may set on itself. The NodeRestriction admission plugin rejects a node
 * whose `--node-labels` use the kubernetes.io / k8s.io domains (other than node.kubernetes.io and
 * kubelet.kubernetes.io); the kubelet sets arch, os, instance type and zone itself, and the rest
 * are synced onto the Node when it registers.
 */
export function kubeletSettableLabels(
  labels: Readonly<Record<string, string>>,
): Record<string, string> {
  const settable: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.indexOf('/');
    const domain = slash < 0 ? '' : key.slice(0, slash);
    const restricted =
      KUBELET_RESTRICTED_DOMAINS.some((parent) => withinDomain(domain, parent)) &&
      !KUBELET_ALLOWED_DOMAINS.some((allowed) => withinDomain(domain, allowed));
    if (!restricted) settable[key] = value;
  }
  return settable;
}

/** `key=value:Effect` (or `key:Effect`), the kubelet's `--register-with-taints` item format. */
export function formatTaint(taint: NodeTaint): string {
  return taint.value
    ? `${taint.key}=${taint.value}:${taint.effect}`
    : `${taint.key}:${taint.effect}`;
}
