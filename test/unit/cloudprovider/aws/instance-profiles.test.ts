import { describe, expect, it } from 'vitest';
import {
  instanceProfileName,
  instanceProfilePath,
} from '../../../../lib/cloudprovider/aws/instance-profiles.ts';

describe('managed instance profile names', () => {
  it('are Karpenter’s: the cluster and the 64-bit FNV-1 of region and class name, in decimal', () => {
    // Assess: the value Go's hash/fnv New64 gives for "us-east-1default"
    expect(instanceProfileName('prod', 'us-east-1', 'default')).toBe('prod_15843455441266977890');
    expect(instanceProfileName('prod', 'us-west-2', 'default')).not.toBe(
      instanceProfileName('prod', 'us-east-1', 'default'),
    );
  });

  it('live under a path of the region and cluster, which the IAM policy is scoped to', () => {
    // Assess
    expect(instanceProfilePath('us-east-1', 'prod')).toBe('/karpenter/us-east-1/prod/');
  });
});
