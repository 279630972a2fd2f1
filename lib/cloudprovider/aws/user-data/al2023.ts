import { stringify } from 'yaml';
import { formatTaint, kubeletSettableLabels, type BootstrapOptions } from './bootstrap-options.ts';
import {
  buildMimeMultipart,
  isMimeMultipart,
  parseMimeMultipart,
  type MimePart,
} from './mime-multipart.ts';

const NODE_CONFIG_CONTENT_TYPE = 'application/node.eks.aws';

/** Custom user data as MIME parts: a multipart document keeps its parts, a single script or config becomes one. */
function customParts(userData: string | undefined): MimePart[] {
  if (!userData?.trim()) return [];
  if (isMimeMultipart(userData)) return parseMimeMultipart(userData);
  const text = userData.trimStart();
  if (text.startsWith('#cloud-config'))
    return [{ contentType: 'text/cloud-config', body: userData }];
  if (/^kind:\s*NodeConfig\s*$/m.test(text))
    return [{ contentType: NODE_CONFIG_CONTENT_TYPE, body: userData }];
  return [{ contentType: 'text/x-shellscript; charset="us-ascii"', body: userData }];
}

function kubeletFlags(options: BootstrapOptions): string[] {
  const labels = Object.entries(kubeletSettableLabels(options.labels))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`);
  const flags: string[] = [];
  if (labels.length > 0) flags.push(`--node-labels=${labels.join(',')}`);
  if (options.taints.length > 0)
    flags.push(`--register-with-taints=${options.taints.map(formatTaint).join(',')}`);
  return flags;
}

/**
 * AL2023 user data: a MIME multipart document whose last part is nodeadm's NodeConfig. nodeadm
 * merges every NodeConfig part in order, so the custom parts come first and the generated one,
 * which must win on cluster identity, max pods, labels and taints, comes last.
 */
export function al2023UserData(options: BootstrapOptions): string {
  const flags = kubeletFlags(options);
  const nodeConfig = {
    apiVersion: 'node.eks.aws/v1alpha1',
    kind: 'NodeConfig',
    spec: {
      ...(options.instanceStorePolicy && {
        instance: { localStorage: { strategy: options.instanceStorePolicy } },
      }),
      cluster: {
        name: options.cluster.name,
        apiServerEndpoint: options.cluster.endpoint,
        certificateAuthority: options.cluster.certificateAuthority,
        cidr: options.cluster.serviceCidr,
      },
      kubelet: {
        config: { ...options.kubelet, maxPods: options.maxPods },
        ...(flags.length > 0 ? { flags } : {}),
      },
    },
  };
  return buildMimeMultipart([
    ...customParts(options.customUserData),
    { contentType: NODE_CONFIG_CONTENT_TYPE, body: stringify(nodeConfig) },
  ]);
}
