import { describe, expect, it } from 'vitest';
import { createAwsClients, pricingRegionFor } from '../../../../lib/cloudprovider/aws/clients.ts';

describe('pricingRegionFor', () => {
  it.each([
    ['us-west-2', 'us-east-1'],
    ['ca-central-1', 'us-east-1'],
    ['eu-west-1', 'eu-central-1'],
    ['me-south-1', 'eu-central-1'],
    ['ap-northeast-1', 'ap-south-1'],
  ])('sends Pricing calls for %s to %s', (region, pricingRegion) => {
    expect(pricingRegionFor(region)).toBe(pricingRegion);
  });
});

describe('createAwsClients', () => {
  it('puts EC2 and SSM in the cluster’s region and Pricing in a region that serves it', async () => {
    // Act
    const clients = createAwsClients('eu-west-1');

    // Assess
    expect(await clients.ec2.config.region()).toBe('eu-west-1');
    expect(await clients.ssm.config.region()).toBe('eu-west-1');
    expect(await clients.pricing.config.region()).toBe('eu-central-1');
  });
});
