import type { Context } from 'aws-lambda';
import {
  AwsCloudProvider,
  AwsProviderCaches,
  createAwsClients,
  parseAwsProviderSettings,
  systemRetryTiming,
  type AwsClients,
  type AwsProviderSettings,
} from '../../lib/cloudprovider/aws/index.ts';
import { lambdaKubeClients } from '../../lib/kube/eks/lambda-kube-clients.ts';
import { KubeEnvironment, type KubeClients } from '../../lib/kube/index.ts';
import { systemClock } from '../../lib/util/clock.ts';
import { EventRecorder, type ProvisioningDeps } from '../../lib/provisioning/index.ts';
import { ProvisionerEnvironment } from '../../lib/provisioning/constants.ts';
import { metricsRecorder, portLogger } from '../shared/powertools.ts';

/** Time kept back from the run for flushing metrics and returning before Lambda stops the function. */
export const LAMBDA_EXIT_MARGIN_MS = 2_000;

type Environment = Readonly<Record<string, string | undefined>>;

function awsSettings(environment: Environment): AwsProviderSettings {
  return parseAwsProviderSettings({
    clusterName: environment[KubeEnvironment.clusterName],
    clusterEndpoint: environment[KubeEnvironment.clusterEndpoint],
    clusterCertificateAuthority: environment[KubeEnvironment.clusterCaData],
    clusterServiceCidr: environment[ProvisionerEnvironment.clusterServiceCidr],
    kubernetesVersion: environment[ProvisionerEnvironment.kubernetesVersion],
    region: environment.AWS_REGION,
  });
}

/**
 * The adapters of one container, built on its first run and reused: clients keep their
 * connections and token buckets, the caches their instance types and prices.
 */
interface ContainerAdapters {
  readonly kube: KubeClients;
  readonly settings: AwsProviderSettings;
  readonly clients: AwsClients;
  readonly caches: AwsProviderCaches;
  readonly recorder: EventRecorder;
}

let adapters: ContainerAdapters | undefined;

function containerAdapters(environment: Environment, functionName: string): ContainerAdapters {
  if (adapters) return adapters;
  const settings = awsSettings(environment);
  adapters = {
    kube: lambdaKubeClients(environment, { logger: portLogger, reportingInstance: functionName }),
    settings,
    clients: createAwsClients(settings.region),
    caches: new AwsProviderCaches(),
    recorder: new EventRecorder(systemClock),
  };
  return adapters;
}

/**
 * Everything one provisioning run needs, on the real adapters: the client-node KubeClient with
 * an EKS token, and EC2. The run must be over `LAMBDA_EXIT_MARGIN_MS` before Lambda's own deadline.
 */
export function provisioningDeps(context: Context, environment: Environment): ProvisioningDeps {
  const { kube, settings, clients, caches, recorder } = containerAdapters(
    environment,
    context.functionName,
  );
  const deadline = systemClock.now() + context.getRemainingTimeInMillis() - LAMBDA_EXIT_MARGIN_MS;
  const cloud = new AwsCloudProvider({
    clients,
    settings,
    caches,
    nodeClasses: async (name) =>
      (await kube.kube.listEC2NodeClasses()).items.find(({ metadata }) => metadata.name === name),
    timing: systemRetryTiming(() => deadline - systemClock.now()),
    clock: systemClock,
    logger: portLogger,
  });
  return {
    kube,
    cloud,
    clock: systemClock,
    logger: portLogger,
    runId: context.awsRequestId,
    deadline,
    recorder,
    metrics: metricsRecorder,
  };
}
