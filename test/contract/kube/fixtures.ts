import type { NodeClaim } from '../../../lib/apis/nodeclaim.ts';
import type { JsonObject } from '../../../lib/kube/index.ts';

/** Objects that both the zod schemas and the kube-apiserver (with Skyscale's CRDs) accept. */

const nodeClassRef = { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' };
const requirements = [{ key: 'kubernetes.io/arch', operator: 'In' as const, values: ['amd64'] }];

export function nodeClaimDraft(generateName: string): NodeClaim {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodeClaim',
    metadata: { generateName, labels: { 'karpenter.sh/nodepool': 'default' } },
    spec: { requirements, nodeClassRef, expireAfter: '720h' },
  };
}

export function nodePool(name: string): JsonObject {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: {
      template: { spec: { requirements, nodeClassRef, expireAfter: '720h' } },
      disruption: {
        consolidationPolicy: 'WhenEmptyOrUnderutilized',
        consolidateAfter: '0s',
        budgets: [{ nodes: '10%' }],
      },
    },
  };
}

export function ec2NodeClass(name: string): JsonObject {
  const discovery = { tags: { 'karpenter.sh/discovery': 'contract' } };
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name },
    spec: {
      subnetSelectorTerms: [discovery],
      securityGroupSelectorTerms: [discovery],
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      role: 'KarpenterNodeRole-contract',
    },
  };
}

/** A node no scheduler will use: tests share one apiserver with kube-scheduler. */
export function node(name: string): JsonObject {
  return {
    metadata: { name, labels: { 'skyscale.test/contract': 'true' } },
    spec: { taints: [{ key: 'skyscale.test/contract', effect: 'NoSchedule' }] },
  };
}

export interface PodOptions {
  readonly labels?: Record<string, string>;
  readonly nodeName?: string;
}

/** A pod kube-scheduler ignores (its schedulerName is not the scheduler's), so only the test changes it. */
export function pod(namespace: string, name: string, options: PodOptions = {}): JsonObject {
  return {
    metadata: { name, namespace, labels: options.labels ?? {} },
    spec: {
      schedulerName: 'skyscale-contract-none',
      containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }],
      ...(options.nodeName ? { nodeName: options.nodeName } : {}),
    },
  };
}

export function daemonSet(namespace: string, name: string): JsonObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'agent', image: 'registry.k8s.io/pause:3.10' }] },
      },
    },
  };
}

/**
 * A budget over pods with no controller: kube-controller-manager's disruption controller counts
 * such pods only for `minAvailable` as a number (with `maxUnavailable` it allows nothing), so
 * `minAvailable` sets what it allows: one healthy pod minus `minAvailable`.
 */
export function podDisruptionBudget(
  namespace: string,
  name: string,
  matchLabels: Record<string, string>,
  minAvailable = 0,
): JsonObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace },
    spec: { selector: { matchLabels }, minAvailable },
  };
}

/**
 * The status the disruption controller writes for one healthy pod, for adapters without the
 * controller; on the real apiserver the controller computes the same.
 */
export function budgetStatus(generation: number, disruptionsAllowed: number): JsonObject {
  return {
    observedGeneration: generation,
    disruptionsAllowed,
    currentHealthy: 1,
    desiredHealthy: 1,
    expectedPods: 1,
  };
}
