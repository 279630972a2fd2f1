/**
 * vitest globalSetup for the `integration` project: starts etcd, kube-apiserver, kube-scheduler,
 * kube-controller-manager, KWOK (the kubelets of annotated Nodes) and moto on loopback from the
 * binaries that setup.sh built, installs Skyscale's CRDs and provides a kubeconfig and the AWS
 * endpoint to tests (read them through test/env/index.ts).
 * Everything is stopped and the temp dir removed on teardown, and on SIGINT/SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

import { writeControlPlaneCredentials } from './certificates.ts';
import {
  startEtcd,
  startKubeApiserver,
  startKubeControllerManager,
  startKubeScheduler,
} from './control-plane.ts';
import { installCrds } from './crds.ts';
import { buildKubeConfigYaml } from './kubeconfig.ts';
import { startKwok } from './kwok.ts';
import { locateTestEnvironment } from './locate.ts';
import { startMoto } from './moto.ts';
import { ChildProcesses } from './processes.ts';
import { TEST_ENVIRONMENT_KEY, type ProvidedTestEnvironment } from './provided-context.ts';

const CRD_DIRECTORY = fileURLToPath(new URL('../../manifests/crds/', import.meta.url));
const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)}s`;
}

export interface RunningTestEnvironment {
  readonly environment: ProvidedTestEnvironment;
  readonly stop: () => Promise<void>;
}

/** Starts the environment outside vitest too (the benchmarks); `stop` tears it down. */
export async function startTestEnvironment(): Promise<RunningTestEnvironment> {
  const startedAt = performance.now();
  const locations = await locateTestEnvironment();
  const workDir = mkdtempSync(join(tmpdir(), 'skyscale-test-env-'));
  const processes = new ChildProcesses(workDir);

  const stopNow = (): void => {
    processes.killAllNow();
    rmSync(workDir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    stopNow();
    // Re-raise so the default action (exit) still happens when nobody else handles the signal.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  for (const signal of INTERRUPT_SIGNALS) process.once(signal, onSignal);
  process.once('exit', stopNow);

  const teardown = async (): Promise<void> => {
    for (const signal of INTERRUPT_SIGNALS) process.off(signal, onSignal);
    process.off('exit', stopNow);
    await processes.stopAll();
    rmSync(workDir, { recursive: true, force: true });
  };

  try {
    const credentials = await writeControlPlaneCredentials(join(workDir, 'pki'));
    const etcdDataDir = join(workDir, 'etcd');
    await mkdir(etcdDataDir);
    const [etcdUrl, awsEndpoint] = await Promise.all([
      startEtcd(processes, locations.binaries.etcd, etcdDataDir),
      startMoto(processes, locations.motoServer),
    ]);
    const server = await startKubeApiserver(processes, {
      binary: locations.binaries.kubeApiserver,
      etcdUrl,
      credentials,
    });
    const kubeConfigYaml = buildKubeConfigYaml({
      server,
      caCertPem: credentials.caCertPem,
      token: credentials.adminToken,
    });
    const kubeConfigPath = join(workDir, 'kubeconfig.yaml');
    await writeFile(kubeConfigPath, kubeConfigYaml, { mode: 0o600 });
    const [crdNames] = await Promise.all([
      installCrds(CRD_DIRECTORY, {
        server,
        ca: credentials.caCertPem,
        token: credentials.adminToken,
      }),
      startKubeScheduler(processes, {
        binary: locations.binaries.kubeScheduler,
        kubeConfigPath,
        credentials,
      }),
      startKubeControllerManager(processes, {
        binary: locations.binaries.kubeControllerManager,
        kubeConfigPath,
        credentials,
      }),
      startKwok(processes, {
        binary: locations.binaries.kwok,
        stagesPath: locations.kwokStages,
        kubeConfigPath,
      }),
    ]);

    console.log(
      `test environment: Kubernetes ${locations.kubernetesVersion} at ${server} with ` +
        `kube-controller-manager and KWOK ${locations.kwokVersion}, moto at ${awsEndpoint}, ` +
        `${crdNames.length} CRDs; started in ${seconds(startedAt)} (logs in ${workDir})`,
    );
    return { environment: { kubeConfigYaml, kubeConfigPath, awsEndpoint }, stop: teardown };
  } catch (error) {
    await teardown();
    throw error;
  }
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { environment, stop } = await startTestEnvironment();
  project.provide(TEST_ENVIRONMENT_KEY, environment);
  return stop;
}
