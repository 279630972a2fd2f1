import { describe, expect, it } from 'vitest';
import {
  NodeClaimSchema,
  NodePoolSchema,
  NodeSchema,
  PodSchema,
  type ManifestDocument,
} from '../../../lib/apis/index.ts';
import { instanceTypeSource } from '../../../lib/cli/plan/instance-type-source.ts';
import {
  emptyPlanObjects,
  type Located,
  type PlanObjects,
} from '../../../lib/cli/plan/plan-documents.ts';
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
    const { scheduling, problems } = assemblePlanInput(input, await catalogTypes());
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
    const { scheduling } = assemblePlanInput(input, await catalogTypes());
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
    const { scheduling, warnings } = assemblePlanInput(input, await catalogTypes());
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
    const { scheduling } = assemblePlanInput(input, await catalogTypes());
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
    const { scheduling, warnings } = assemblePlanInput(input, await catalogTypes());
    // Assess
    expect(scheduling.nodePools).toEqual([]);
    expect(warnings).toEqual([
      'cluster.yaml:0 NodePool/other: skipped: nodeClassRef example.com/FooNodeClass is not an EC2NodeClass',
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
    const { problems } = assemblePlanInput(input, await catalogTypes());
    // Assess
    expect(problems).toEqual([
      'cluster.yaml:0 NodePool/<no name>: metadata.name: is required',
      expect.stringMatching(
        /^cluster.yaml:2 EC2NodeClass\/default: spec.amiSelectorTerms: .*windows2022@latest/,
      ),
      'cluster.yaml:4 NodeClaim/orphan: metadata.name: "orphan" is already defined at cluster.yaml:3 NodeClaim/orphan',
      'cluster.yaml:3 NodeClaim/orphan: metadata.labels.karpenter.sh/nodepool: is required to plan around an in-flight NodeClaim',
    ]);
  });
});
