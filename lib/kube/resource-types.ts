/** Where a kind lives in the Kubernetes API. */
export interface ResourceType {
  /** Empty for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The lower-case plural in the URL path. */
  readonly plural: string;
  readonly namespaced: boolean;
}

function resource(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
): ResourceType {
  return { group, version, kind, plural, namespaced };
}

export const ResourceTypes = {
  pod: resource('', 'v1', 'Pod', 'pods', true),
  node: resource('', 'v1', 'Node', 'nodes', false),
  event: resource('', 'v1', 'Event', 'events', true),
  daemonSet: resource('apps', 'v1', 'DaemonSet', 'daemonsets', true),
  deployment: resource('apps', 'v1', 'Deployment', 'deployments', true),
  podDisruptionBudget: resource(
    'policy',
    'v1',
    'PodDisruptionBudget',
    'poddisruptionbudgets',
    true,
  ),
  lease: resource('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
  configMap: resource('', 'v1', 'ConfigMap', 'configmaps', true),
  persistentVolume: resource('', 'v1', 'PersistentVolume', 'persistentvolumes', false),
  persistentVolumeClaim: resource(
    '',
    'v1',
    'PersistentVolumeClaim',
    'persistentvolumeclaims',
    true,
  ),
  storageClass: resource('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false),
  volumeAttachment: resource(
    'storage.k8s.io',
    'v1',
    'VolumeAttachment',
    'volumeattachments',
    false,
  ),
  nodePool: resource('karpenter.sh', 'v1', 'NodePool', 'nodepools', false),
  nodeClaim: resource('karpenter.sh', 'v1', 'NodeClaim', 'nodeclaims', false),
  ec2NodeClass: resource('karpenter.k8s.aws', 'v1', 'EC2NodeClass', 'ec2nodeclasses', false),
} as const satisfies Record<string, ResourceType>;

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}
