import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { PricingClient } from '@aws-sdk/client-pricing';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsClients } from './aws-cloud-provider.ts';

/** The Pricing API answers only in us-east-1, eu-central-1 and ap-south-1; use the nearest. */
export function pricingRegionFor(region: string): string {
  if (region.startsWith('ap-')) return 'ap-south-1';
  if (/^(eu|me|af|il)-/.test(region)) return 'eu-central-1';
  return 'us-east-1';
}

/** SDK clients for the adapter, built once per Lambda container so connections are reused. */
export function createAwsClients(region: string): AwsClients {
  return {
    ec2: new EC2Client({ region }),
    ssm: new SSMClient({ region }),
    pricing: new PricingClient({ region: pricingRegionFor(region) }),
    iam: new IAMClient({ region }),
  };
}
