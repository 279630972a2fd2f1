/**
 * What deployed code does to the Kubernetes API, derived from the code itself: the KubeClient
 * methods called by any module the Lambda handlers import, each run through the real adapter on
 * a recording transport to see the requests it makes, and the Lease lock's requests.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import {
  createKubeClient,
  ExpiringEntries,
  LeaseLock,
  ResourceTypes,
  type KubeClient,
  type ResourceTransport,
  type ResourceType,
} from '../../../lib/kube/index.ts';
import { MemoryCluster } from '../../../lib/kube/memory/index.ts';
import { systemClock } from '../../../lib/util/index.ts';
import { overriding, recordingLogger } from '../../contract/kube/harness.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

/** `group/resource[/subresource]` → verbs, as an RBAC rule names them. */
export type ApiUsage = Record<string, string[]>;

function add(usage: ApiUsage, type: ResourceType, verb: string, subresource?: string): void {
  const key = `${type.group}/${type.plural}${subresource ? `/${subresource}` : ''}`;
  usage[key] = [...new Set([...(usage[key] ?? []), verb])].sort();
}

function recording(transport: ResourceTransport, usage: ApiUsage): ResourceTransport {
  return overriding(transport, {
    list: (type, request) => (add(usage, type, 'list'), transport.list(type, request)),
    get: (type, key) => (add(usage, type, 'get'), transport.get(type, key)),
    create: (type, object) => (add(usage, type, 'create'), transport.create(type, object)),
    patch: (type, key, patch, subresource) => (
      add(usage, type, 'patch', subresource),
      transport.patch(type, key, patch, subresource)
    ),
    delete: (type, key, options) => (
      add(usage, type, 'delete'),
      transport.delete(type, key, options)
    ),
    evict: (key) => (add(usage, ResourceTypes.pod, 'create', 'eviction'), transport.evict(key)),
  });
}

/** A change to any object, so an update has something to write. */
const touched = <T>(object: T): T => ({
  ...object,
  metadata: { ...(object as { metadata: object }).metadata, annotations: { probed: 'yes' } },
  status: { probed: 'yes' },
});
const nodeClaimSpec = {
  nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'probe' },
  requirements: [],
};
const nodeClaim = {
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodeClaim',
  metadata: { generateName: 'probe-' },
  spec: nodeClaimSpec,
} as never;

/** Objects for the methods that read, write or delete one to find. */
async function seed(cluster: MemoryCluster): Promise<void> {
  await cluster.create(ResourceTypes.nodeClaim, {
    metadata: { name: 'probe' },
    spec: nodeClaimSpec,
  });
  await cluster.create(ResourceTypes.node, { metadata: { name: 'probe' }, spec: {} });
  await cluster.create(ResourceTypes.ec2NodeClass, {
    metadata: { name: 'probe' },
    spec: {
      role: 'probe',
      subnetSelectorTerms: [{ id: 'subnet-probe' }],
      securityGroupSelectorTerms: [{ id: 'sg-probe' }],
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
    },
  });
  await cluster.create(ResourceTypes.nodePool, {
    metadata: { name: 'probe' },
    spec: { template: { spec: nodeClaimSpec } },
  });
  await cluster.create(ResourceTypes.pod, {
    metadata: { name: 'probe', namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'app' }] },
  });
}

/** One call of every KubeClient method; the compiler makes a new method add its line here. */
const CALLS: Record<keyof KubeClient, (client: KubeClient) => Promise<unknown>> = {
  listPods: (client) => client.listPods(),
  listNodes: (client) => client.listNodes(),
  listDaemonSets: (client) => client.listDaemonSets(),
  listPodDisruptionBudgets: (client) => client.listPodDisruptionBudgets(),
  listNodePools: (client) => client.listNodePools(),
  listNodeClaims: (client) => client.listNodeClaims(),
  listEC2NodeClasses: (client) => client.listEC2NodeClasses(),
  listVolumeAttachments: (client) => client.listVolumeAttachments(),
  listPersistentVolumes: (client) => client.listPersistentVolumes(),
  listPersistentVolumeClaims: (client) => client.listPersistentVolumeClaims(),
  listStorageClasses: (client) => client.listStorageClasses(),
  getNodeClaim: (client) => client.getNodeClaim('probe'),
  createNodeClaim: (client) => client.createNodeClaim(nodeClaim),
  updateNodeClaim: (client) => client.updateNodeClaim('probe', touched),
  updateNodeClaimStatus: (client) => client.updateNodeClaimStatus('probe', touched),
  deleteNodeClaim: (client) => client.deleteNodeClaim('probe'),
  updateNodePoolStatus: (client) => client.updateNodePoolStatus('probe', touched),
  updateNodePool: (client) => client.updateNodePool('probe', touched),
  updateEC2NodeClass: (client) => client.updateEC2NodeClass('probe', touched),
  updateEC2NodeClassStatus: (client) => client.updateEC2NodeClassStatus('probe', touched),
  updateNode: (client) => client.updateNode('probe', touched),
  deleteNode: (client) => client.deleteNode('probe'),
  evictPod: (client) => client.evictPod({ namespace: 'default', name: 'probe' }),
  deletePod: (client) => client.deletePod({ namespace: 'default', name: 'probe' }),
  recordEvent: (client) =>
    client.recordEvent({
      involvedObject: { apiVersion: 'v1', kind: 'Node', name: 'probe' },
      type: 'Normal',
      reason: 'Probe',
      message: 'probe',
    }),
};

/** The requests each KubeClient method makes through the real adapter. */
export async function requestsOf(method: keyof KubeClient): Promise<ApiUsage> {
  const usage: ApiUsage = {};
  const cluster = new MemoryCluster({ clock: systemClock });
  await seed(cluster);
  const client = createKubeClient(recording(cluster, usage), {
    logger: recordingLogger(),
    clock: systemClock,
  });
  await CALLS[method](client);
  return usage;
}

/**
 * The requests made in the Lease's namespace: the Lease lock's to take, renew and release the
 * lock, and the unavailable offerings' to create, read and extend their ConfigMap.
 */
export async function namespacedRequests(): Promise<ApiUsage> {
  const usage: ApiUsage = {};
  const transport = recording(new MemoryCluster({ clock: systemClock }), usage);
  const lock = new LeaseLock(transport, systemClock, { clusterName: 'probe', holder: 'probe' });
  await lock.tryAcquire();
  await lock.renew();
  await lock.release();
  const offerings = new ExpiringEntries(transport, systemClock, {
    namespace: 'kube-system',
    name: 'probe',
  });
  await offerings.add(new Map([['probe', systemClock.now() + 60_000]]));
  await offerings.add(new Map([['probe', systemClock.now() + 120_000]]));
  await offerings.read();
  return usage;
}

/** Relative `.ts` imports (static and dynamic) of a module, resolved to files. */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+\.ts)'/g)].map(([, path]) =>
    resolve(dirname(file), path ?? ''),
  );
}

/** Every repository module the Lambda handlers (functions/<name>/handler.ts) import, transitively. */
export function deployedModules(): string[] {
  const handlers = readdirSync(resolve(ROOT, 'functions'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => resolve(ROOT, 'functions', entry.name, 'handler.ts'))
    .filter((file) => {
      try {
        return readFileSync(file) !== undefined;
      } catch {
        return false;
      }
    });
  const seen = new Set<string>();
  const pending = [...handlers];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    pending.push(...importsOf(file));
  }
  return [...seen].map((file) => relative(ROOT, file)).sort();
}

/** KubeClient methods called in deployed modules outside lib/kube, which implements them. */
export function deployedKubeClientMethods(): (keyof KubeClient)[] {
  const sources = deployedModules()
    .filter((file) => !file.startsWith('lib/kube/'))
    .map((file) => readFileSync(resolve(ROOT, file), 'utf8'));
  return (Object.keys(CALLS) as (keyof KubeClient)[]).filter((method) =>
    sources.some((source) => new RegExp(`\\.${method}\\(`).test(source)),
  );
}

/** What deployed code asks of the Kubernetes API, besides the Lease. */
export async function deployedClusterUsage(): Promise<ApiUsage> {
  const usage: ApiUsage = {};
  for (const method of deployedKubeClientMethods())
    for (const [resource, verbs] of Object.entries(await requestsOf(method)))
      usage[resource] = [...new Set([...(usage[resource] ?? []), ...verbs])].sort();
  return usage;
}
