import { describe, expect, it } from 'vitest';
import type { DaemonSet, NodePool, PodSpec, Requirement, Taint } from '../../../lib/apis/index.ts';
import { nodeOffers } from '../../../lib/sim/node-offers.ts';
import { ManualClock } from '../../fixtures/manual-clock.ts';
import { nodeClass, nodePool } from './fixtures.ts';

function requirement(key: string, operator: Requirement['operator'], values: string[]) {
  return { key, operator, values };
}

function withTemplate(pool: NodePool, labels: Record<string, string>, taints: Taint[]): NodePool {
  const { template } = pool.spec;
  return {
    ...pool,
    spec: {
      ...pool.spec,
      template: { metadata: { labels }, spec: { ...template.spec, taints } },
    },
  };
}

function daemonSet(name: string, cpu: string, spec: Partial<PodSpec> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'agent', resources: { requests: { cpu } } }], ...spec },
      },
    },
  };
}

const web = withTemplate(
  nodePool('web', [
    requirement('karpenter.k8s.aws/instance-family', 'In', ['m5']),
    requirement('karpenter.sh/capacity-type', 'In', ['on-demand']),
    requirement('topology.kubernetes.io/zone', 'In', ['us-east-1a']),
    requirement('karpenter.k8s.aws/instance-cpu', 'Lt', ['5']),
  ]),
  { team: 'web' },
  [],
);
const tainted = withTemplate(
  nodePool('tainted', [
    requirement('node.kubernetes.io/instance-type', 'In', ['c5.large']),
    requirement('karpenter.sh/capacity-type', 'In', ['spot']),
    requirement('topology.kubernetes.io/zone', 'In', ['us-east-1b']),
  ]),
  {},
  [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }],
);
const scenario = { nodePools: [web, tainted], nodeClasses: [nodeClass()] };
const daemonSets = [
  daemonSet('everywhere', '200m'),
  daemonSet('web-only', '100m', {
    nodeSelector: { team: 'web' },
    tolerations: [{ operator: 'Exists' }],
  }),
];
const versions = [scenario];

describe('nodeOffers', () => {
  it('offers what the NodePool requirements allow, at catalog prices, less the DaemonSets sure to run there', async () => {
    // Act
    const offers = await nodeOffers('us-east-1', versions, {
      daemonSets,
      neverAvailable: [],
      clock: new ManualClock(),
    });

    // Assess
    const web = offers.filter(({ nodePool }) => nodePool === 'web');
    expect(web.map(({ instanceType }) => instanceType).sort()).toEqual(['m5.large', 'm5.xlarge']);
    expect(
      web.every(({ zone, capacityType }) => zone === 'us-east-1a' && capacityType === 'on-demand'),
    ).toBe(true);
    const large = web.find(({ instanceType }) => instanceType === 'm5.large');
    expect(large?.price).toBe(0.096);
    // 1930m allocatable, less both DaemonSets: the web-only one selects the NodePool's template label.
    expect(large?.room['cpu']).toBe(1930 - 200 - 100);
    const tainted = offers.filter(({ nodePool }) => nodePool === 'tainted');
    expect(
      tainted.map(({ instanceType, zone, capacityType }) => [instanceType, zone, capacityType]),
    ).toEqual([['c5.large', 'us-east-1b', 'spot']]);
    // The DaemonSet without a toleration stays off the tainted nodes; the other lacks its label.
    expect(tainted[0]?.room['cpu']).toBe(1930);
    expect(tainted[0]?.taints).toEqual([
      { key: 'dedicated', value: 'batch', effect: 'NoSchedule' },
    ]);
  });

  it('leaves out offerings out of capacity for the whole run, and keeps every version of the NodePools', async () => {
    // Prepare: a later version of the web NodePool allows c5 too.
    const widened = {
      ...web,
      spec: {
        ...web.spec,
        template: {
          ...web.spec.template,
          spec: {
            ...web.spec.template.spec,
            requirements: web.spec.template.spec.requirements.map((requirement) =>
              requirement.key === 'karpenter.k8s.aws/instance-family'
                ? { ...requirement, values: ['m5', 'c5'] }
                : requirement,
            ),
          },
        },
      },
    };

    // Act
    const offers = await nodeOffers(
      'us-east-1',
      [scenario, { nodePools: [widened], nodeClasses: scenario.nodeClasses }],
      {
        daemonSets: [],
        neverAvailable: [{ instanceType: 'm5.large', capacityType: 'on-demand' }],
        clock: new ManualClock(),
      },
    );

    // Assess
    const names = new Set(
      offers.filter(({ nodePool }) => nodePool === 'web').map(({ instanceType }) => instanceType),
    );
    expect([...names].sort()).toEqual(['c5.large', 'c5.xlarge', 'm5.xlarge']);
  });
});
