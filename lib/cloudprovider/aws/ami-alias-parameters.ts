/**
 * `amiSelectorTerms[].alias` (`al2023@latest`, `bottlerocket@v1.20.1`) → the public SSM
 * parameters that name the EKS-optimized AMIs, one per architecture and accelerator variant.
 */
import type { NodeSelectorRequirement } from '../../apis/core/node-selector.ts';
import { Labels } from '../../apis/labels.ts';
import { parseAlias } from '../ec2-model/ami-alias.ts';

export interface AliasVariant {
  readonly parameter: string;
  /** The instance types this variant serves. */
  readonly requirements: NodeSelectorRequirement[];
}

type Variant = 'standard' | 'nvidia' | 'neuron';
const EC2_ARCHITECTURES = { amd64: 'x86_64', arm64: 'arm64' } as const;

function variantRequirements(
  architecture: keyof typeof EC2_ARCHITECTURES,
  variant: Variant,
): NodeSelectorRequirement[] {
  const arch = { key: Labels.arch, operator: 'In' as const, values: [architecture] };
  if (variant === 'nvidia') return [arch, { key: Labels.instanceGpuCount, operator: 'Exists' }];
  if (variant === 'neuron')
    return [arch, { key: Labels.instanceAcceleratorCount, operator: 'Exists' }];
  return [
    arch,
    { key: Labels.instanceGpuCount, operator: 'DoesNotExist' },
    { key: Labels.instanceAcceleratorCount, operator: 'DoesNotExist' },
  ];
}

function al2023Parameter(
  kubernetesVersion: string,
  arch: string,
  variant: Variant,
  version: string,
): string {
  const base = `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2023/${arch}/${variant}`;
  if (version === 'latest') return `${base}/recommended/image_id`;
  return `${base}/amazon-eks-node-al2023-${arch}-${variant}-${kubernetesVersion}-${version}/image_id`;
}

function bottlerocketParameter(
  kubernetesVersion: string,
  arch: string,
  variant: Variant,
  version: string,
): string {
  const flavour =
    variant === 'nvidia' ? `aws-k8s-${kubernetesVersion}-nvidia` : `aws-k8s-${kubernetesVersion}`;
  return `/aws/service/bottlerocket/${flavour}/${arch}/${version === 'latest' ? 'latest' : version.replace(/^v/, '')}/image_id`;
}

/** Every SSM parameter the alias may resolve through; variants a region lacks are simply absent there. */
export function aliasVariants(alias: string, kubernetesVersion: string): AliasVariant[] {
  const { family, version } = parseAlias(alias);
  const variants: Variant[] =
    family === 'AL2023' ? ['standard', 'nvidia', 'neuron'] : ['standard', 'nvidia'];
  const parameterFor = family === 'AL2023' ? al2023Parameter : bottlerocketParameter;
  return (Object.keys(EC2_ARCHITECTURES) as (keyof typeof EC2_ARCHITECTURES)[]).flatMap(
    (architecture) =>
      variants
        .filter((variant) => variant !== 'neuron' || architecture === 'amd64')
        .map((variant) => ({
          parameter: parameterFor(
            kubernetesVersion,
            EC2_ARCHITECTURES[architecture],
            variant,
            version,
          ),
          requirements: variantRequirements(architecture, variant),
        })),
  );
}
