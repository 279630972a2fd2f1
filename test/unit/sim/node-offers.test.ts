import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../lib/sim/scenario-loader.ts';
import { nodeOffers } from '../../../lib/sim/node-offers.ts';
import { ManualClock } from '../../fixtures/manual-clock.ts';

const scenario = parseScenario(
  'offers.yaml',
  `
name: offers
nodePools:
  - apiVersion: karpenter.sh/v1
    kind: NodePool
    metadata: { name: web }
    spec:
      template:
        metadata: { labels: { team: web } }
        spec:
          requirements:
            - { key: karpenter.k8s.aws/instance-family, operator: In, values: [m5] }
            - { key: karpenter.sh/capacity-type, operator: In, values: [on-demand] }
            - { key: topology.kubernetes.io/zone, operator: In, values: [us-east-1a] }
            - { key: karpenter.k8s.aws/instance-cpu, operator: Lt, values: ["5"] }
          nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }
  - apiVersion: karpenter.sh/v1
    kind: NodePool
    metadata: { name: tainted }
    spec:
      template:
        spec:
          taints: [{ key: dedicated, value: batch, effect: NoSchedule }]
          requirements:
            - { key: node.kubernetes.io/instance-type, operator: In, values: [c5.large] }
            - { key: karpenter.sh/capacity-type, operator: In, values: [spot] }
            - { key: topology.kubernetes.io/zone, operator: In, values: [us-east-1b] }
          nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }
nodeClasses:
  - { apiVersion: karpenter.k8s.aws/v1, kind: EC2NodeClass, metadata: { name: default }, spec: { role: r, amiSelectorTerms: [{ alias: al2023@latest }], subnetSelectorTerms: [{ tags: { a: b } }], securityGroupSelectorTerms: [{ tags: { a: b } }] } }
daemonSets:
  - apiVersion: apps/v1
    kind: DaemonSet
    metadata: { name: everywhere }
    spec:
      selector: { matchLabels: { app: everywhere } }
      template:
        metadata: { labels: { app: everywhere } }
        spec: { containers: [{ name: a, resources: { requests: { cpu: 200m } } }] }
  - apiVersion: apps/v1
    kind: DaemonSet
    metadata: { name: web-only }
    spec:
      selector: { matchLabels: { app: web-only } }
      template:
        metadata: { labels: { app: web-only } }
        spec:
          nodeSelector: { team: web }
          tolerations: [{ operator: Exists }]
          containers: [{ name: a, resources: { requests: { cpu: 100m } } }]
timeline:
  - { at: 0s, advance: 1m }
`,
);
const versions = [scenario];

describe('nodeOffers', () => {
  it('offers what the NodePool requirements allow, at catalog prices, less the DaemonSets sure to run there', async () => {
    // Act
    const offers = await nodeOffers('us-east-1', versions, {
      daemonSets: scenario.daemonSets,
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
    const web = scenario.nodePools[0];
    if (!web) throw new Error('the scenario has the web NodePool');
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
