/**
 * The integration tests' view of the real test environment that test/env/global-setup.ts starts
 * (kube-apiserver + etcd + kube-scheduler + kube-controller-manager with Skyscale's CRDs
 * installed, KWOK as the kubelet of annotated Nodes, and moto as the AWS endpoint). Build it once
 * with `bash test/env/setup.sh`.
 *
 * Convention: the environment is shared by all test files, so each file isolates itself —
 * it creates its own namespace with `createTestNamespace` in `beforeAll` and calls `resetAws()`
 * in `beforeAll` (or `beforeEach`) before touching AWS. Namespaces are not deleted (the
 * namespace controller does not run); the whole cluster is discarded after the run.
 * Cluster-scoped objects (NodePools, NodeClaims, nodes) need names unique to the test file, and
 * Nodes of other files may exist: select your pods onto your own nodes.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';

import { NodeRegistrar } from './node-registrar.ts';
import { TEST_ENVIRONMENT_KEY, type ProvidedTestEnvironment } from './provided-context.ts';

export { KWOK_NODE_ANNOTATION } from './kwok.ts';
export type { NodeRegistrar } from './node-registrar.ts';

export const AWS_TEST_REGION = 'us-east-1';

export interface AwsClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

function environment(): ProvidedTestEnvironment {
  const provided = inject(TEST_ENVIRONMENT_KEY);
  if (provided === undefined) {
    throw new Error(
      'the test environment is not running: run tests with `vitest --project integration`',
    );
  }
  return provided;
}

/** Constructor options for any @aws-sdk v3 client, pointing it at moto. */
export function awsClientConfig(): AwsClientConfig {
  return {
    endpoint: environment().awsEndpoint,
    region: AWS_TEST_REGION,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
}

/** Drops all of moto's state (instances, queues, rules, …). */
export async function resetAws(): Promise<void> {
  const response = await fetch(`${environment().awsEndpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed with HTTP ${response.status}`);
}

/** A kubeconfig for the test cluster: its server, its CA and a system:masters bearer token. */
export function kubeConfigYaml(): string {
  return environment().kubeConfigYaml;
}

/** The same kubeconfig as a file, for code that takes a path. */
export function kubeConfigPath(): string {
  return environment().kubeConfigPath;
}

/** Creates a namespace named `<prefix>-<random suffix>` and returns its name. */
export async function createTestNamespace(prefix: string): Promise<string> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kubeConfigYaml());
  const created = await kubeConfig
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { generateName: `${prefix}-` } } });
  const name = created.metadata?.name;
  if (name === undefined) throw new Error('the apiserver returned a namespace without a name');
  return name;
}

export interface NodeRegistrarSettings {
  /** The cluster name Skyscale tags its instances with (`kubernetes.io/cluster/<name>`). */
  readonly clusterName: string;
  /** Time from an instance's launch to its Node's registration. @default 0 */
  readonly delayMs?: number;
}

/**
 * Starts registering a KWOK-run Node for each instance Skyscale launches in moto for the
 * cluster, as the instance's kubelet would after nodeadm read its user data. Call `stop()` in
 * `afterAll`/`afterEach`: it rethrows any registration failure.
 */
export function startNodeRegistrar({ clusterName, delayMs }: NodeRegistrarSettings): NodeRegistrar {
  return new NodeRegistrar({
    kubeConfigYaml: kubeConfigYaml(),
    aws: awsClientConfig(),
    clusterName,
    ...(delayMs !== undefined && { delayMs }),
  }).start();
}
