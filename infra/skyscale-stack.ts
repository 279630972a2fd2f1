import { Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

export interface SkyscaleStackProps extends StackProps {
  /**
   * Name of the EKS cluster Skyscale scales. Every resource is tagged with it, and later
   * constructs use it for discovery tags and resource names.
   * @default 'my-cluster'
   */
  readonly clusterName?: string;
}

export const DEFAULT_CLUSTER_NAME = 'my-cluster';
export const CLUSTER_TAG = 'skyscale:cluster';

/** Skyscale's AWS resources. Empty for now; the Lambda functions, queues and schedules come later. */
export class SkyscaleStack extends Stack {
  readonly clusterName: string;

  constructor(scope: Construct, id: string, props: SkyscaleStackProps = {}) {
    super(scope, id, props);
    this.clusterName = props.clusterName ?? DEFAULT_CLUSTER_NAME;
    Tags.of(this).add(CLUSTER_TAG, this.clusterName);
  }
}
