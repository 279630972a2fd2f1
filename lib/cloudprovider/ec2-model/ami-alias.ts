/**
 * `amiSelectorTerms[].alias` (`al2023@latest`, `bottlerocket@v1.20.1`) → the AMI family and
 * version it selects, and so the AMI family an EC2NodeClass launches.
 */
import type { AmiFamily, EC2NodeClass } from '../../apis/ec2nodeclass.ts';
import { CloudProviderError } from '../errors.ts';

const FAMILIES: Readonly<Record<string, AmiFamily>> = {
  al2023: 'AL2023',
  bottlerocket: 'Bottlerocket',
};

export function parseAlias(alias: string): { family: AmiFamily; version: string } {
  const [name = '', version = ''] = alias.split('@');
  const family = FAMILIES[name.toLowerCase()];
  if (!family) {
    throw new CloudProviderError(
      `amiSelectorTerms alias "${alias}": family "${name}" is not supported (supported: ${Object.keys(FAMILIES).join(', ')})`,
    );
  }
  return { family, version };
}

/** The family of the class's alias, else its `amiFamily` field. */
export function nodeClassAmiFamily(nodeClass: EC2NodeClass): AmiFamily {
  const alias = nodeClass.spec.amiSelectorTerms.find((term) => term.alias)?.alias;
  // The schema requires amiFamily whenever there is no alias.
  return alias ? parseAlias(alias).family : (nodeClass.spec.amiFamily ?? 'Custom');
}
