import { describe, expect, it } from 'vitest';
import {
  AwsProviderSettingsError,
  parseAwsProviderSettings,
} from '../../../../lib/cloudprovider/aws/settings.ts';

const valid = {
  clusterName: 'prod',
  clusterEndpoint: 'https://ABC.gr7.us-east-1.eks.amazonaws.com',
  clusterCertificateAuthority: 'Q0E=',
  kubernetesVersion: '1.31',
  region: 'us-east-1',
};

describe('parseAwsProviderSettings', () => {
  it('applies Karpenter’s defaults', () => {
    expect(parseAwsProviderSettings(valid)).toEqual({
      ...valid,
      clusterServiceCidr: '10.100.0.0/16',
      vmMemoryOverheadPercent: 0.075,
      reservedEnis: 0,
      eniLimitedPodDensity: true,
    });
  });

  it('names every field that is wrong', () => {
    // Act
    const parse = () =>
      parseAwsProviderSettings({
        ...valid,
        clusterEndpoint: 'http://plain',
        kubernetesVersion: 'v1.31.2',
        clusterName: undefined,
      });

    // Assess
    expect(parse).toThrow(AwsProviderSettingsError);
    expect(parse).toThrow(
      /clusterName: .*; clusterEndpoint: .*; kubernetesVersion: must be MAJOR\.MINOR such as "1\.31"/,
    );
  });
});
