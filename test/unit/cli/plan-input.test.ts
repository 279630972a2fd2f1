import { describe, expect, it } from 'vitest';
import {
  Annotations,
  NodeClaimSchema,
  NodePoolSchema,
  NodeSchema,
  PersistentVolumeClaimSchema,
  PersistentVolumeSchema,
  PodSchema,
  StorageClassSchema,
  type ManifestDocument,
} from '../../../lib/apis/index.ts';
import { instanceTypeSource } from '../../../lib/cli/plan/instance-type-source.ts';
import {
  emptyPlanObjects,
  type Located,
  type PlanObjects,
} from '../../../lib/cli/plan/plan-documents.ts';
import { PodDisruptionBudgetSchema } from '../../../lib/apis/core/pod-disruption-budget.ts';
import { assemblePlanInput } from '../../../lib/cli/plan/plan-input.ts';
import { allocatable } from '../../../lib/cloudprovider/types.ts';
import { embeddedInstanceTypes } from '../../../lib/cloudprovider/ec2-model/catalog/index.ts';
import { nodeClass } from '../../fixtures/node-class.ts';

function located<T extends { kind?: string; metadata: { name?: string } }>(
  object: T,
  index = 0,
): Located<T> {
  const document: ManifestDocument = {
    file: 'cluster.yaml',
    index,
    kind: object.kind,
    name: object.metadata.name,
    object,
  };
  return { object, document };
}

function objects(parts: Partial<PlanObjects>): PlanObjects {
  return { ...emptyPlanObjects(), ...parts };
}

function nodePool(
  name: string | undefined,
  nodeClassRef = { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
) {
  return NodePoolSchema.parse({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: name === undefined ? {} : { name },
    spec: { template: { spec: { requirements: [], nodeClassRef } } },
  });
}

function nodeClaim(name: string, labels: Record<string, string>, status?: Record<string, unknown>) {
  return NodeClaimSchema.parse({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodeClaim',
    metadata: { name, labels },
    spec: {
      requirements: [
        {
          key: 'node.kubernetes.io/instance-type',
          operator: 'In',
          values: ['m5.large', 'm5.xlarge'],
        },
      ],
      nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
    },
    ...(status ? { status } : {}),
  });
}

function pod(name: string, nodeName?: string) {
  return PodSchema.parse({
    kind: 'Pod',
    metadata: { name },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c' }] },
  });
}

const NOW = Date.parse('2026-06-01T12:00:00Z');
const catalogTypes = () => instanceTypeSource(undefined, 'us-east-1');
const POOL_LABEL = { 'karpenter.sh/nodepool': 'default' };

describe('assemblePlanInput', () => {
  it("computes a NodePool's instance types with its EC2NodeClass kubelet settings", async () => {
    // Prepare
    const input = objects({
      nodePools: [located(nodePool('default'))],
      nodeClasses: [located(nodeClass({ kubelet: { maxPods: 42 } }))],
    });
    // Act
    const { scheduling, problems } = assemblePlanInput(input, await catalogTypes(), NOW);
    // Assess
    expect(problems).toEqual([]);
    expect(
      new Set(scheduling.nodePools[0]?.instanceTypes.map((type) => type.capacity.pods)),
    ).toEqual(new Set([42]));
  });

  it('estimates an unlaunched NodeClaim from its options: largest capacity, smallest allocatable', async () => {
    // Prepare
    const input = objects({
      nodePools: [located(nodePool('default'))],
      nodeClaims: [located(nodeClaim('default-abc', POOL_LABEL))],
    });
    const [large, xlarge] = ['m5.large', 'm5.xlarge'].map((name) =>
      embeddedInstanceTypes('us-east-1').find((type) => type.name === name),
    );
    // Act
    const { scheduling } = assemblePlanInput(input, await catalogTypes(), NOW);
    // Assess
    expect(scheduling.inFlightNodeClaims).toHaveLength(1);
    expect(scheduling.inFlightNodeClaims[0]).toMatchObject({
      name: 'default-abc',
      nodePool: 'default',
      capacity: xlarge?.capacity,
      allocatable: large && allocatable(large),
      pods: [],
    });
  });

  it('uses a launched NodeClaim’s status and the pods bound to its node', async () => {
    // Prepare
    const claim = nodeClaim('default-abc', POOL_LABEL, {
      nodeName: 'ip-1',
      capacity: { cpu: '4', memory: '16Gi', pods: '58' },
      allocatable: { cpu: '3', memory: '12Gi', pods: '58' },
    });
    const input = objects({
      nodeClaims: [located(claim)],
      pods: [located(pod('on-claim', 'ip-1'))],
    });
    // Act
    const { scheduling, warnings } = assemblePlanInput(input, await catalogTypes(), NOW);
    // Assess
    expect(warnings).toEqual([]);
    expect(scheduling.inFlightNodeClaims[0]?.allocatable).toEqual({
      cpu: 3000,
      memory: 12 * 2 ** 30,
      pods: 58,
    });
    expect(scheduling.inFlightNodeClaims[0]?.pods.map((bound) => bound.metadata.name)).toEqual([
      'on-claim',
    ]);
  });

  it('lets a given Node stand for its NodeClaim, with the pods bound to it', async () => {
    // Prepare
    const node = NodeSchema.parse({ kind: 'Node', metadata: { name: 'ip-1' } });
    const input = objects({
      nodes: [located(node)],
      nodeClaims: [located(nodeClaim('default-abc', POOL_LABEL, { nodeName: 'ip-1' }))],
      pods: [located(pod('bound', 'ip-1')), located(pod('pending'))],
    });
    // Act
    const { scheduling } = assemblePlanInput(input, await catalogTypes(), NOW);
    // Assess
    expect(scheduling.inFlightNodeClaims).toEqual([]);
    expect(
      scheduling.existingNodes.map(({ node: { metadata }, pods }) => [metadata.name, pods.length]),
    ).toEqual([['ip-1', 1]]);
    expect(scheduling.pendingPods.map(({ metadata }) => metadata.name)).toEqual(['pending']);
  });

  it('warns about pods bound to nodes not in the input and NodePools of another node-class kind', async () => {
    // Prepare
    const foreign = nodePool('other', { group: 'example.com', kind: 'FooNodeClass', name: 'x' });
    const input = objects({ nodePools: [located(foreign)], pods: [located(pod('lost', 'ip-9'))] });
    // Act
    const { scheduling, warnings } = assemblePlanInput(input, await catalogTypes(), NOW);
    // Assess
    expect(scheduling.nodePools).toEqual([]);
    expect(warnings).toEqual([
      'cluster.yaml (document 1) NodePool/other: skipped: nodeClassRef example.com/FooNodeClass is not an EC2NodeClass',
      'pods default/lost: ignored: bound to node "ip-9", which is not in the input',
    ]);
  });

  it('reports objects it cannot use, naming the file, the object and the field', async () => {
    // Prepare
    const input = objects({
      nodePools: [located(nodePool(undefined), 0), located(nodePool('windows'), 1)],
      nodeClasses: [located(nodeClass({ amiSelectorTerms: [{ alias: 'windows2022@latest' }] }), 2)],
      nodeClaims: [
        located(nodeClaim('orphan', {}), 3),
        located(nodeClaim('orphan', POOL_LABEL), 4),
      ],
    });
    // Act
    const { problems } = assemblePlanInput(input, await catalogTypes(), NOW);
    // Assess
    expect(problems).toEqual([
      'cluster.yaml (document 1) NodePool/<no name>: metadata.name: is required',
      expect.stringMatching(
        /^cluster.yaml \(document 3\) EC2NodeClass\/default: spec.amiSelectorTerms: .*windows2022@latest/,
      ),
      'cluster.yaml (document 5) NodeClaim/orphan: metadata.name: "orphan" is already defined at cluster.yaml (document 4) NodeClaim/orphan',
      'cluster.yaml (document 4) NodeClaim/orphan: metadata.labels.karpenter.sh/nodepool: is required to plan around an in-flight NodeClaim',
    ]);
  });
});

describe('skyscale plan parity with the Lambda path', () => {
  function boundPod(name: string, nodeName: string, annotations: Record<string, string> = {}) {
    return PodSchema.parse({
      kind: 'Pod',
      metadata: { name, labels: { app: name }, annotations },
      spec: { nodeName, containers: [{ name: 'c' }] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    });
  }

  function budget(app: string, spec: Record<string, unknown>) {
    return PodDisruptionBudgetSchema.parse({
      kind: 'PodDisruptionBudget',
      metadata: { name: `${app}-budget`, namespace: 'default' },
      spec: { selector: { matchLabels: { app } }, ...spec },
    });
  }

  it('re-plans the pods that can move off a node being deleted, not the ones that cannot', async () => {
    // Prepare
    const deleting = NodeSchema.parse({
      kind: 'Node',
      metadata: { name: 'ip-1', deletionTimestamp: '2026-06-01T11:59:00Z' },
    });
    const input = objects({
      nodes: [located(deleting)],
      pods: [
        located(boundPod('movable', 'ip-1')),
        located(boundPod('guarded', 'ip-1', { [Annotations.doNotDisrupt]: 'true' })),
        located(boundPod('blocked', 'ip-1')),
        located(boundPod('budgeted', 'ip-1')),
      ],
      podDisruptionBudgets: [
        located(budget('blocked', { maxUnavailable: 0 })),
        located(budget('budgeted', { maxUnavailable: 1 })),
      ],
    });
    // Act
    const { scheduling } = assemblePlanInput(input, await catalogTypes(), NOW);
    // Assess
    expect(scheduling.existingNodes).toEqual([]);
    expect(scheduling.pendingPods.map(({ metadata }) => metadata.name).sort()).toEqual([
      'budgeted',
      'movable',
    ]);
  });

  it('treats a node whose NodeClaim is being deleted, or that carries the disrupted taint, as leaving', async () => {
    // Prepare
    const claimed = NodeSchema.parse({ kind: 'Node', metadata: { name: 'ip-1' } });
    const tainted = NodeSchema.parse({
      kind: 'Node',
      metadata: { name: 'ip-2' },
      spec: { taints: [{ key: 'karpenter.sh/disrupted', effect: 'NoSchedule' }] },
    });
    const stays = NodeSchema.parse({ kind: 'Node', metadata: { name: 'ip-3' } });
    const deletingClaim = {
      ...nodeClaim('default-abc', POOL_LABEL, { nodeName: 'ip-1' }),
      metadata: {
        name: 'default-abc',
        labels: POOL_LABEL,
        deletionTimestamp: '2026-06-01T11:00:00Z',
      },
    };
    const input = objects({
      nodes: [located(claimed), located(tainted), located(stays)],
      nodeClaims: [located(deletingClaim)],
      pods: [located(boundPod('a', 'ip-1')), located(boundPod('b', 'ip-2'))],
    });
    // Act
    const { scheduling } = assemblePlanInput(input, await catalogTypes(), NOW);
    // Assess
    expect(scheduling.existingNodes.map(({ node }) => node.metadata.name)).toEqual(['ip-3']);
    expect(scheduling.pendingPods.map(({ metadata }) => metadata.name).sort()).toEqual(['a', 'b']);
  });

  it('marks a node with a NodeClaim as launched by Skyscale, with its startup taints', async () => {
    // Prepare
    const node = NodeSchema.parse({ kind: 'Node', metadata: { name: 'ip-1' } });
    const startup = { key: 'agent.example.com/starting', effect: 'NoSchedule' as const };
    const claim = nodeClaim('default-abc', POOL_LABEL, { nodeName: 'ip-1' });
    const input = objects({
      nodes: [located(node)],
      nodeClaims: [located({ ...claim, spec: { ...claim.spec, startupTaints: [startup] } })],
    });
    // Act
    const { scheduling } = assemblePlanInput(input, await catalogTypes(), NOW);
    // Assess
    expect(scheduling.existingNodes[0]?.managed).toEqual({ startupTaints: [startup] });
  });
});

describe('skyscale plan volume topology input', () => {
  it('passes PersistentVolumes, claims and StorageClasses to the scheduler', async () => {
    // Prepare
    const volume = PersistentVolumeSchema.parse({
      kind: 'PersistentVolume',
      metadata: { name: 'pv-1' },
      spec: {},
    });
    const claim = PersistentVolumeClaimSchema.parse({
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'default' },
      spec: { volumeName: 'pv-1' },
    });
    const storageClass = StorageClassSchema.parse({
      kind: 'StorageClass',
      metadata: { name: 'gp3' },
      provisioner: 'ebs.csi.aws.com',
    });
    const input = objects({
      persistentVolumes: [located(volume)],
      persistentVolumeClaims: [located(claim)],
      storageClasses: [located(storageClass)],
    });
    // Act
    const { scheduling } = assemblePlanInput(input, await catalogTypes(), NOW);
    // Assess
    expect(scheduling.volumes).toEqual({
      persistentVolumes: [volume],
      persistentVolumeClaims: [claim],
      storageClasses: [storageClass],
    });
  });
});
