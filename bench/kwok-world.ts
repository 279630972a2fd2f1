/**
 * What the KWOK benchmarks share: the test environment started with test/env's own startup code,
 * a node registrar standing in for booting instances, a provisioning world over one NodePool and
 * a namespace for the benchmark's pods; everything is stopped when the benchmark ends.
 */
import type { RunLogger } from '../lib/provisioning/index.ts';
import { startTestEnvironment } from '../test/env/global-setup.ts';
import { NodeRegistrar } from '../test/env/node-registrar.ts';
import {
  createProvisioningWorld,
  type ProvisioningWorld,
} from '../test/integration/provisioning-fixtures.ts';

export const quietLogger: RunLogger = {
  info: () => undefined,
  warn: (message, attributes) => console.warn(`warn: ${message}`, attributes ?? ''),
  error: (message, attributes) => console.error(`error: ${message}`, attributes ?? ''),
};

/** Polls `holds` every 500 ms until it is true, failing after `timeoutMs`. */
export async function until(
  what: string,
  holds: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const giveUpAt = performance.now() + timeoutMs;
  while (!(await holds())) {
    if (performance.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export interface KwokWorld {
  readonly kubeConfigYaml: string;
  readonly aws: {
    readonly endpoint: string;
    readonly region: string;
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  };
  readonly registrar: NodeRegistrar;
  readonly world: ProvisioningWorld;
  readonly namespace: string;
}

/** Runs `benchmark` in a fresh KWOK world for NodePool `pool`, then stops the world. */
export async function withKwokWorld(
  pool: string,
  benchmark: (kwok: KwokWorld) => Promise<void>,
): Promise<void> {
  const { environment, stop } = await startTestEnvironment();
  const aws = {
    endpoint: environment.awsEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  const registrar = new NodeRegistrar({
    kubeConfigYaml: environment.kubeConfigYaml,
    aws,
    clusterName: pool,
  }).start();
  try {
    const world = await createProvisioningWorld({
      kubeConfigPath: environment.kubeConfigPath,
      aws,
      pool,
      logger: quietLogger,
      transport: 'https',
    });
    const namespace =
      (await world.core.createNamespace({ body: { metadata: { generateName: `${pool}-` } } }))
        .metadata?.name ?? '';
    await benchmark({
      kubeConfigYaml: environment.kubeConfigYaml,
      aws,
      registrar,
      world,
      namespace,
    });
  } finally {
    await registrar.stop().catch((error: unknown) => {
      console.error('node registrar failed:', error);
      process.exitCode = 1;
    });
    await stop();
  }
}
