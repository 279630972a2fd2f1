import { Stack, type Duration } from 'aws-cdk-lib';
import { CfnAccessEntry } from 'aws-cdk-lib/aws-eks';
import type { Construct } from 'constructs';
import { KubeEnvironment } from '../../lib/kube/constants.ts';
import { ProvisionerEnvironment } from '../../lib/provisioning/constants.ts';
import { controllerPermissions } from './controller-permissions.ts';
import { acknowledgeWildcardResources } from './nag-acknowledgements.ts';
import { SkyscaleFunction, type FunctionLoggingProps } from './skyscale-function.ts';

/** What every function that reaches the cluster and launches or terminates instances needs. */
export interface ClusterAccessProps extends FunctionLoggingProps {
  readonly clusterName: string;
  readonly clusterEndpoint: string;
  readonly clusterCertificateAuthority: string;
  readonly clusterServiceCidr: string;
  readonly kubernetesVersion: string;
  readonly nodeRoleArn: string;
  /** The Kubernetes group of the role's EKS access entry. */
  readonly kubernetesGroup: string;
  readonly createAccessEntry: boolean;
}

export interface ClusterControllerProps extends ClusterAccessProps {
  /** The handler file, e.g. `tick/handler.ts`. */
  readonly entry: string;
  readonly description: string;
  /** POWERTOOLS_SERVICE_NAME. */
  readonly serviceName: string;
  readonly timeout: Duration;
  /** Settings beyond the cluster's. */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * A function that runs Skyscale's runs against the cluster and EC2, created in `scope` as
 * `Handler`: one invocation at a time (reserved concurrency 1), the cluster's settings in its
 * environment, the controller's least-privilege EC2 permissions and an EKS access entry mapping
 * its role to the Kubernetes group.
 */
export function clusterControllerFunction(
  scope: Construct,
  props: ClusterControllerProps,
): SkyscaleFunction {
  const handler = new SkyscaleFunction(scope, 'Handler', {
    entry: props.entry,
    description: props.description,
    timeout: props.timeout,
    // One full vCPU for the scheduler (Lambda allots a vCPU per 1,769 MB).
    memorySize: 1769,
    reservedConcurrentExecutions: 1,
    logRetention: props.logRetention,
    logLevel: props.logLevel,
    environment: {
      [KubeEnvironment.clusterName]: props.clusterName,
      [KubeEnvironment.clusterEndpoint]: props.clusterEndpoint,
      [KubeEnvironment.clusterCaData]: props.clusterCertificateAuthority,
      [ProvisionerEnvironment.clusterServiceCidr]: props.clusterServiceCidr,
      [ProvisionerEnvironment.kubernetesVersion]: props.kubernetesVersion,
      POWERTOOLS_SERVICE_NAME: props.serviceName,
      ...props.environment,
    },
  });
  for (const { statement, wildcardReason } of controllerPermissions(Stack.of(scope), props)) {
    handler.role.addToPrincipalPolicy(statement);
    if (wildcardReason) acknowledgeWildcardResources(handler.role, statement, wildcardReason);
  }
  if (props.createAccessEntry) {
    new CfnAccessEntry(scope, 'AccessEntry', {
      clusterName: props.clusterName,
      principalArn: handler.role.roleArn,
      kubernetesGroups: [props.kubernetesGroup],
      type: 'STANDARD',
    });
  }
  return handler;
}
