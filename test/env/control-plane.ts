import type { ControlPlaneCredentials } from './certificates.ts';
import { freeLoopbackPort, httpsRequest, LOOPBACK } from './network.ts';
import type { ChildProcesses } from './processes.ts';

const ETCD_READY_TIMEOUT_MS = 30_000;
const APISERVER_READY_TIMEOUT_MS = 90_000;
const SCHEDULER_READY_TIMEOUT_MS = 30_000;

/** Starts a single-member etcd in `dataDir`; resolves to its client URL once it reports healthy. */
export async function startEtcd(
  processes: ChildProcesses,
  binary: string,
  dataDir: string,
): Promise<string> {
  const clientUrl = `http://${LOOPBACK}:${await freeLoopbackPort()}`;
  const peerUrl = `http://${LOOPBACK}:${await freeLoopbackPort()}`;
  const etcd = processes.start('etcd', binary, [
    '--name=default',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${clientUrl}`,
    `--advertise-client-urls=${clientUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=default=${peerUrl}`,
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ]);
  await processes.waitUntilReady(
    etcd,
    async () => {
      const response = await fetch(`${clientUrl}/health`);
      return response.ok && ((await response.json()) as { health?: unknown }).health === 'true';
    },
    ETCD_READY_TIMEOUT_MS,
  );
  return clientUrl;
}

export interface KubeApiserverOptions {
  readonly binary: string;
  readonly etcdUrl: string;
  readonly credentials: ControlPlaneCredentials;
}

/** Starts kube-apiserver on loopback; resolves to its https URL once /readyz answers ok. */
export async function startKubeApiserver(
  processes: ChildProcesses,
  { binary, etcdUrl, credentials }: KubeApiserverOptions,
): Promise<string> {
  const port = await freeLoopbackPort();
  const server = `https://${LOOPBACK}:${port}`;
  const apiserver = processes.start('kube-apiserver', binary, [
    `--etcd-servers=${etcdUrl}`,
    `--bind-address=${LOOPBACK}`,
    `--advertise-address=${LOOPBACK}`,
    `--secure-port=${port}`,
    `--tls-cert-file=${credentials.servingCertPath}`,
    `--tls-private-key-file=${credentials.servingKeyPath}`,
    `--token-auth-file=${credentials.tokenAuthFilePath}`,
    '--authorization-mode=RBAC',
    // No controller-manager runs, so nothing would create the ServiceAccounts this plugin demands.
    '--disable-admission-plugins=ServiceAccount',
    '--service-cluster-ip-range=10.0.0.0/24',
    '--allow-privileged=true',
    `--service-account-issuer=${server}`,
    `--service-account-key-file=${credentials.serviceAccountPublicKeyPath}`,
    `--service-account-signing-key-file=${credentials.serviceAccountPrivateKeyPath}`,
  ]);
  await processes.waitUntilReady(
    apiserver,
    async () => {
      const { status } = await httpsRequest(`${server}/readyz`, {
        ca: credentials.caCertPem,
        token: credentials.adminToken,
      });
      return status === 200;
    },
    APISERVER_READY_TIMEOUT_MS,
  );
  return server;
}

export interface KubeSchedulerOptions {
  readonly binary: string;
  readonly kubeConfigPath: string;
  readonly credentials: ControlPlaneCredentials;
}

/** Starts kube-scheduler against the apiserver; resolves once its /healthz answers ok. */
export async function startKubeScheduler(
  processes: ChildProcesses,
  { binary, kubeConfigPath, credentials }: KubeSchedulerOptions,
): Promise<void> {
  const port = await freeLoopbackPort();
  const scheduler = processes.start('kube-scheduler', binary, [
    `--kubeconfig=${kubeConfigPath}`,
    `--authentication-kubeconfig=${kubeConfigPath}`,
    `--authorization-kubeconfig=${kubeConfigPath}`,
    '--leader-elect=false',
    `--bind-address=${LOOPBACK}`,
    `--secure-port=${port}`,
    `--tls-cert-file=${credentials.servingCertPath}`,
    `--tls-private-key-file=${credentials.servingKeyPath}`,
  ]);
  await processes.waitUntilReady(
    scheduler,
    async () => {
      const url = `https://${LOOPBACK}:${port}/healthz`;
      return (await httpsRequest(url, { ca: credentials.caCertPem })).status === 200;
    },
    SCHEDULER_READY_TIMEOUT_MS,
  );
}

const CONTROLLER_MANAGER_READY_TIMEOUT_MS = 30_000;

/**
 * The controllers a test cluster needs to behave like a real one around Skyscale's nodes:
 * workloads (ReplicaSets, Deployments, Jobs, DaemonSets) keep their pods, owner references are
 * garbage collected, PodDisruptionBudgets get the status the Eviction API checks, node lifecycle
 * lifts the not-ready taint the apiserver puts on every new Node once KWOK reports it Ready (and
 * marks a Node whose heartbeat stops), NoExecute taints evict, and pods of deleted Nodes are
 * removed. Everything else (service accounts, namespaces, endpoints, volumes, certificates) stays
 * off: the tests do not use it and each controller costs start-up time and CPU.
 */
export const TEST_CONTROLLERS = [
  'replicaset-controller',
  'deployment-controller',
  'job-controller',
  'daemonset-controller',
  'garbage-collector-controller',
  'disruption-controller',
  'node-lifecycle-controller',
  'taint-eviction-controller',
  'pod-garbage-collector-controller',
] as const;

export interface KubeControllerManagerOptions {
  readonly binary: string;
  readonly kubeConfigPath: string;
  readonly credentials: ControlPlaneCredentials;
}

/** Starts kube-controller-manager with TEST_CONTROLLERS; resolves once its /healthz answers ok. */
export async function startKubeControllerManager(
  processes: ChildProcesses,
  { binary, kubeConfigPath, credentials }: KubeControllerManagerOptions,
): Promise<void> {
  const port = await freeLoopbackPort();
  const controllerManager = processes.start('kube-controller-manager', binary, [
    `--kubeconfig=${kubeConfigPath}`,
    `--authentication-kubeconfig=${kubeConfigPath}`,
    `--authorization-kubeconfig=${kubeConfigPath}`,
    '--leader-elect=false',
    `--controllers=${TEST_CONTROLLERS.join(',')}`,
    `--bind-address=${LOOPBACK}`,
    `--secure-port=${port}`,
    `--tls-cert-file=${credentials.servingCertPath}`,
    `--tls-private-key-file=${credentials.servingKeyPath}`,
  ]);
  await processes.waitUntilReady(
    controllerManager,
    async () => {
      const url = `https://${LOOPBACK}:${port}/healthz`;
      return (await httpsRequest(url, { ca: credentials.caCertPem })).status === 200;
    },
    CONTROLLER_MANAGER_READY_TIMEOUT_MS,
  );
}
