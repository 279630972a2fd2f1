import {
  EC2NodeClassSchema,
  NodeClaimSchema,
  NodePoolSchema,
  type EC2NodeClass,
  type Node,
  type NodeClaim,
  type NodePool,
  type Pod,
  type Requirement,
  type Taint,
} from '../../../lib/apis/index.ts';

export function nodeClass(name = 'default'): EC2NodeClass {
  return EC2NodeClassSchema.parse({
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name },
    spec: {
      role: 'NodeRole',
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      subnetSelectorTerms: [{ tags: { discovery: 'sim' } }],
      securityGroupSelectorTerms: [{ tags: { discovery: 'sim' } }],
    },
  });
}

export function nodePool(name: string, requirements: Requirement[] = []): NodePool {
  return NodePoolSchema.parse({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: {
      template: {
        spec: {
          requirements,
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
        },
      },
    },
  });
}

export function nodeClaim(
  name: string,
  requirements: Requirement[],
  uid = `uid-${name}`,
  taints: Taint[] = [],
  startupTaints: Taint[] = [],
): NodeClaim {
  return NodeClaimSchema.parse({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodeClaim',
    metadata: { name, uid, labels: { 'karpenter.sh/nodepool': 'default' } },
    spec: {
      requirements,
      taints,
      startupTaints,
      nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
    },
  });
}

export function pod(
  name: string,
  cpu: string,
  extra: Partial<Pod['spec']> = {},
  uid = `uid-${name}`,
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid, creationTimestamp: '2026-01-05T08:00:00Z' },
    spec: {
      containers: [{ name: 'app', resources: { requests: { cpu, memory: '256Mi' } } }],
      ...extra,
    },
    status: { phase: 'Pending' },
  };
}

export function readyNode(
  name: string,
  cpu: string,
  labels: Record<string, string> = {},
  taints: Taint[] = [],
): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec: { taints },
    status: {
      capacity: { cpu, memory: '16Gi', pods: '110' },
      allocatable: { cpu, memory: '16Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

export function boundTo(nodeName: string, bound: Pod): Pod {
  return { ...bound, spec: { ...bound.spec, nodeName }, status: { phase: 'Running' } };
}
