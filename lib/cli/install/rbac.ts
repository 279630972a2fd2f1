import {
  leaseName,
  ResourceTypes,
  unavailableOfferingsName,
  type ResourceType,
} from '../../kube/index.ts';

const LABELS = { 'app.kubernetes.io/name': 'skyscale' };
const RBAC_NAME = 'skyscale';

interface Grant {
  readonly type: ResourceType;
  readonly subresource?: string;
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}

/**
 * Exactly what the deployed runs ask of the KubeClient port, and no more. Lists read pages (no
 * watches); NodeClaims are read, created, updated (a read, then a merge patch of the object or
 * its status) and deleted; Nodes are updated (registration, the drain taint, finalizers) and
 * deleted with their NodeClaim; NodePools get their status and an annotation; EC2NodeClasses get
 * their status, a finalizer and an annotation; pods are evicted,
 * or deleted at a node's terminationGracePeriod; events are created in any namespace.
 */
const CLUSTER_GRANTS: readonly Grant[] = [
  { type: ResourceTypes.pod, verbs: ['list', 'delete'] },
  { type: ResourceTypes.pod, subresource: 'eviction', verbs: ['create'] },
  { type: ResourceTypes.node, verbs: ['get', 'list', 'patch', 'delete'] },
  { type: ResourceTypes.event, verbs: ['create'] },
  { type: ResourceTypes.daemonSet, verbs: ['list'] },
  { type: ResourceTypes.podDisruptionBudget, verbs: ['list'] },
  { type: ResourceTypes.nodePool, verbs: ['get', 'list', 'patch'] },
  { type: ResourceTypes.nodePool, subresource: 'status', verbs: ['patch'] },
  { type: ResourceTypes.nodeClaim, verbs: ['get', 'list', 'create', 'patch', 'delete'] },
  { type: ResourceTypes.nodeClaim, subresource: 'status', verbs: ['patch'] },
  { type: ResourceTypes.ec2NodeClass, verbs: ['get', 'list', 'patch'] },
  { type: ResourceTypes.ec2NodeClass, subresource: 'status', verbs: ['patch'] },
  { type: ResourceTypes.volumeAttachment, verbs: ['list'] },
  { type: ResourceTypes.persistentVolume, verbs: ['list'] },
  { type: ResourceTypes.persistentVolumeClaim, verbs: ['list'] },
  { type: ResourceTypes.storageClass, verbs: ['list'] },
];

/**
 * The Lease lock, and the ConfigMap of unavailable offerings beside it: create each when absent,
 * then read and merge-patch it by name only, so the Role cannot touch the other Leases and
 * ConfigMaps of its namespace (kube-system holds kube-scheduler's and kube-controller-manager's
 * Leases, and aws-auth). RBAC cannot limit `create` by name.
 */
function namespacedGrants(clusterName: string): readonly Grant[] {
  return [
    { type: ResourceTypes.lease, verbs: ['create'] },
    { type: ResourceTypes.lease, verbs: ['get', 'patch'], resourceNames: [leaseName(clusterName)] },
    { type: ResourceTypes.configMap, verbs: ['create'] },
    {
      type: ResourceTypes.configMap,
      verbs: ['get', 'patch'],
      resourceNames: [unavailableOfferingsName(clusterName)],
    },
  ];
}

function rules(grants: readonly Grant[]) {
  return grants.map(({ type, subresource, verbs, resourceNames }) => ({
    apiGroups: [type.group],
    resources: [subresource ? `${type.plural}/${subresource}` : type.plural],
    ...(resourceNames && { resourceNames: [...resourceNames] }),
    verbs: [...verbs],
  }));
}

function binding(kind: 'ClusterRoleBinding' | 'RoleBinding', group: string, namespace?: string) {
  const roleKind = kind === 'ClusterRoleBinding' ? 'ClusterRole' : 'Role';
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name: RBAC_NAME, ...(namespace && { namespace }), labels: LABELS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: RBAC_NAME },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
  };
}

export interface RbacOptions {
  /** The Kubernetes group the provisioner's EKS access entry maps to. */
  readonly group: string;
  readonly leaseNamespace: string;
  /** The EKS cluster's name, which names its Lease. */
  readonly clusterName: string;
}

/** The ClusterRole and the Role in the Lease's namespace, each bound to the group of the provisioner's access entry. */
export function rbacObjects({ group, leaseNamespace, clusterName }: RbacOptions): object[] {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: RBAC_NAME, labels: LABELS },
      rules: rules(CLUSTER_GRANTS),
    },
    binding('ClusterRoleBinding', group),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: RBAC_NAME, namespace: leaseNamespace, labels: LABELS },
      rules: rules(namespacedGrants(clusterName)),
    },
    binding('RoleBinding', group, leaseNamespace),
  ];
}
