import { ResourceTypes, type ResourceType } from '../../kube/index.ts';

const LABELS = { 'app.kubernetes.io/name': 'skyscale' };
const RBAC_NAME = 'skyscale';

interface Grant {
  readonly type: ResourceType;
  readonly subresource?: string;
  readonly verbs: readonly string[];
}

/**
 * Exactly what the KubeClient port does. Lists read pages (no watches); updates read the object
 * and merge-patch it (or its status); NodeClaims are also created and deleted; Nodes are deleted
 * when their NodeClaim is; pods are evicted or deleted when their node is drained; events are
 * created in any namespace.
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
  { type: ResourceTypes.ec2NodeClass, verbs: ['list'] },
  { type: ResourceTypes.volumeAttachment, verbs: ['list'] },
];

/** The Lease lock: read, take when absent, renew and release (merge patches). */
const LEASE_GRANTS: readonly Grant[] = [
  { type: ResourceTypes.lease, verbs: ['get', 'create', 'patch'] },
];

function rules(grants: readonly Grant[]) {
  return grants.map(({ type, subresource, verbs }) => ({
    apiGroups: [type.group],
    resources: [subresource ? `${type.plural}/${subresource}` : type.plural],
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

/** The ClusterRole and the Lease Role, each bound to the group of the provisioner's access entry. */
export function rbacObjects(group: string, leaseNamespace: string): object[] {
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
      rules: rules(LEASE_GRANTS),
    },
    binding('RoleBinding', group, leaseNamespace),
  ];
}
