import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EC2NodeClass } from '../../apis/ec2nodeclass.ts';
import type { NodeClaim } from '../../apis/nodeclaim.ts';
import type { LaunchedInstance } from '../cloud-provider.ts';
import type { InstanceType } from '../types.ts';
import type { AwsProviderCaches } from './caches.ts';
import type { FleetSender } from './fleet-batcher.ts';
import type { NodeClassResolution } from './node-class-resolution.ts';
import type { ProviderLogger } from './provider-logger.ts';
import type { AwsProviderSettings } from './settings.ts';
import type { Throttled } from './throttle-retry.ts';

/** What one launch needs: the clients and caches, and the ready node class with its instance types. */
export interface LaunchContext {
  readonly ec2: EC2Client;
  readonly settings: AwsProviderSettings;
  readonly caches: AwsProviderCaches;
  readonly throttled: Throttled;
  /** CreateFleet, batched with the identical requests of claims launching at the same moment. */
  readonly createFleet: FleetSender;
  readonly logger: ProviderLogger;
  readonly nodeClass: EC2NodeClass;
  readonly resolution: NodeClassResolution;
  readonly instanceTypes: readonly InstanceType[];
  /** The instance an earlier call launched for the claim, found by its NodeClaim tag. */
  readonly launchedFor: (nodeClaim: NodeClaim) => Promise<LaunchedInstance | undefined>;
}
