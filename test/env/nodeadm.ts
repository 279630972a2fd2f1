/**
 * Reads an instance's AL2023 user data as nodeadm does, to learn what its kubelet registers the
 * Node with: the `--node-labels` and `--register-with-taints` flags and the KubeletConfiguration.
 * nodeadm merges every NodeConfig part in order, later parts winning; so does this reader, for the
 * fields it returns.
 */
import { parse } from 'yaml';
import { z } from 'zod';

import {
  KubeletConfigurationSchema,
  type KubeletConfiguration,
} from '../../lib/apis/ec2nodeclass-kubelet.ts';
import { TaintEffects, type Taint } from '../../lib/apis/core/taint.ts';
import {
  isMimeMultipart,
  parseMimeMultipart,
} from '../../lib/cloudprovider/aws/user-data/mime-multipart.ts';

const NODE_CONFIG_CONTENT_TYPE = 'application/node.eks.aws';

const NodeConfigSchema = z.object({
  apiVersion: z.literal('node.eks.aws/v1alpha1'),
  kind: z.literal('NodeConfig'),
  spec: z.object({
    kubelet: z
      .object({
        config: z.record(z.string(), z.unknown()).optional(),
        flags: z.array(z.string()).optional(),
      })
      .optional(),
  }),
});

export interface KubeletRegistration {
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly config: KubeletConfiguration;
}

function flagValue(flags: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return flags.findLast((flag) => flag.startsWith(prefix))?.slice(prefix.length);
}

function parseLabels(value: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of value?.split(',').filter(Boolean) ?? []) {
    const equals = item.indexOf('=');
    if (equals <= 0) throw new Error(`--node-labels item "${item}" is not key=value`);
    labels[item.slice(0, equals)] = item.slice(equals + 1);
  }
  return labels;
}

/** `key[=value]:Effect` items, the kubelet's `--register-with-taints` format. */
function parseTaints(value: string | undefined): Taint[] {
  return (value?.split(',').filter(Boolean) ?? []).map((item) => {
    const match = /^([^=:]+)(?:=([^:]*))?:(.+)$/.exec(item);
    const effect = TaintEffects.find((known) => known === match?.[3]);
    if (!match?.[1] || effect === undefined) {
      throw new Error(`--register-with-taints item "${item}" is not key[=value]:Effect`);
    }
    return { key: match[1], ...(match[2] ? { value: match[2] } : {}), effect };
  });
}

/** What the kubelet of an AL2023 instance with `userData` (decoded) registers with. */
export function kubeletRegistrationOf(userData: string): KubeletRegistration {
  // Skyscale always writes a multipart document for AL2023, its NodeConfig the last part.
  const parts = isMimeMultipart(userData) ? parseMimeMultipart(userData) : [];
  const nodeConfigs = parts
    .filter(({ contentType }) => contentType.startsWith(NODE_CONFIG_CONTENT_TYPE))
    .map(({ body }) => NodeConfigSchema.parse(parse(body)));
  if (nodeConfigs.length === 0) throw new Error('the user data has no nodeadm NodeConfig');
  const flags = nodeConfigs.flatMap(({ spec }) => spec.kubelet?.flags ?? []);
  const config = Object.assign({}, ...nodeConfigs.map(({ spec }) => spec.kubelet?.config));
  return {
    labels: parseLabels(flagValue(flags, 'node-labels')),
    taints: parseTaints(flagValue(flags, 'register-with-taints')),
    config: KubeletConfigurationSchema.parse(config),
  };
}
