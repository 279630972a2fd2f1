import { describe, expect, it } from 'vitest';
import { EC2NodeClassSchema } from '../../../../lib/apis/ec2nodeclass.ts';
import {
  nodeClassAmiFamily,
  parseAlias,
} from '../../../../lib/cloudprovider/ec2-model/ami-alias.ts';
import { CloudProviderError } from '../../../../lib/cloudprovider/errors.ts';

function nodeClass(spec: Record<string, unknown>) {
  return EC2NodeClassSchema.parse({
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: 'default' },
    spec: {
      role: 'NodeRole',
      subnetSelectorTerms: [{ tags: { discovery: 'c' } }],
      securityGroupSelectorTerms: [{ tags: { discovery: 'c' } }],
      ...spec,
    },
  });
}

describe('parseAlias', () => {
  it('names the AMI family an alias selects and rejects families it cannot bootstrap', () => {
    expect(parseAlias('Bottlerocket@latest')).toEqual({
      family: 'Bottlerocket',
      version: 'latest',
    });
    expect(() => parseAlias('windows2022@latest')).toThrow(CloudProviderError);
    expect(() => parseAlias('windows2022@latest')).toThrow(/family "windows2022" is not supported/);
  });
});

describe('nodeClassAmiFamily', () => {
  it('takes the family from the alias, over the amiFamily field', () => {
    // Prepare
    const aliased = nodeClass({
      amiFamily: 'AL2023',
      amiSelectorTerms: [{ alias: 'bottlerocket@latest' }],
    });

    // Act / Assess
    expect(nodeClassAmiFamily(aliased)).toBe('Bottlerocket');
  });

  it('takes the amiFamily field when no term has an alias', () => {
    // Prepare
    const custom = nodeClass({
      amiFamily: 'AL2',
      amiSelectorTerms: [{ id: 'ami-0123456789abcdef0' }],
    });

    // Act / Assess
    expect(nodeClassAmiFamily(custom)).toBe('AL2');
  });
});
