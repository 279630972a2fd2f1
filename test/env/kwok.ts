import { freeLoopbackPort, LOOPBACK } from './network.ts';
import type { ChildProcesses } from './processes.ts';

const KWOK_READY_TIMEOUT_MS = 30_000;

/** KWOK plays the kubelet of every Node carrying this annotation, and of no other. */
export const KWOK_NODE_ANNOTATION = { key: 'kwok.x-k8s.io/node', value: 'fake' } as const;

/**
 * Pod IPs KWOK hands out. They only ever appear in pod status (KWOK sends no traffic), and the
 * /16 leaves room for the thousands of pods the benchmarks run.
 */
const POD_CIDR = '10.244.0.0/16';

export interface KwokOptions {
  readonly binary: string;
  readonly stagesPath: string;
  readonly kubeConfigPath: string;
}

/**
 * Starts kwok out of cluster: for each Node with KWOK_NODE_ANNOTATION it reports Ready, renews the
 * node Lease, runs the pods bound to it (Job pods succeed) and finishes their deletion, as the
 * Stages in `stagesPath` say. Resolves once its /healthz answers ok.
 */
export async function startKwok(
  processes: ChildProcesses,
  { binary, stagesPath, kubeConfigPath }: KwokOptions,
): Promise<void> {
  const address = `${LOOPBACK}:${await freeLoopbackPort()}`;
  const kwok = processes.start('kwok', binary, [
    `--kubeconfig=${kubeConfigPath}`,
    `--config=${stagesPath}`,
    '--manage-all-nodes=false',
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION.key}=${KWOK_NODE_ANNOTATION.value}`,
    `--cidr=${POD_CIDR}`,
    `--server-address=${address}`,
  ]);
  await processes.waitUntilReady(
    kwok,
    async () => (await fetch(`http://${address}/healthz`)).ok,
    KWOK_READY_TIMEOUT_MS,
  );
}
