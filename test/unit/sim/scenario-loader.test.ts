import { describe, expect, it } from 'vitest';
import { ScenarioError, parseScenario } from '../../../lib/sim/scenario-loader.ts';

const NODE_POOL = `
  - apiVersion: karpenter.sh/v1
    kind: NodePool
    metadata: { name: default }
    spec:
      template:
        spec:
          requirements: []
          nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }`;
const NODE_CLASS = `
  - apiVersion: karpenter.k8s.aws/v1
    kind: EC2NodeClass
    metadata: { name: default }
    spec:
      role: r
      amiSelectorTerms: [{ alias: al2023@latest }]
      subnetSelectorTerms: [{ tags: { a: b } }]
      securityGroupSelectorTerms: [{ tags: { a: b } }]`;
const DEPLOYMENT = `
      - kind: Deployment
        metadata: { name: web }
        spec: { replicas: 3, selector: { matchLabels: { app: web } }, template: { spec: { containers: [{ name: web }] } } }`;

function scenario(timeline: string, nodePools = NODE_POOL, nodeClasses = NODE_CLASS): string {
  return `name: test\nnodePools:${nodePools}\nnodeClasses:${nodeClasses}\ntimeline:${timeline}\n`;
}

function problems(text: string): readonly string[] {
  try {
    parseScenario('s.yaml', text);
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
  throw new Error('the scenario was accepted');
}

describe('parseScenario', () => {
  it('reads a valid scenario and fills in the defaults', () => {
    // Prepare
    const text = scenario(`\n  - at: 1m\n    apply:${DEPLOYMENT}`);
    // Act
    const parsed = parseScenario('s.yaml', text);
    // Assess
    expect(parsed.settings).toEqual({ region: 'us-east-1', bootDelay: '45s', settle: '15m' });
    expect(parsed.daemonSets).toEqual([]);
    expect(parsed.timeline[0]?.apply?.[0]).toMatchObject({
      kind: 'Deployment',
      spec: { replicas: 3 },
    });
    expect(parsed.nodePools[0]?.spec.disruption.consolidationPolicy).toBe(
      'WhenEmptyOrUnderutilized',
    );
  });

  it.each([
    [
      'an unknown workload kind',
      `\n  - at: 0s\n    apply:\n      - kind: Deplyment\n        metadata: { name: x }`,
      's.yaml: timeline[0].apply[0].kind: kind must be one of Deployment, StatefulSet, ReplicaSet or Job',
    ],
    [
      'a negative replica count',
      `\n  - at: 0s\n    apply:${DEPLOYMENT.replace('replicas: 3', 'replicas: -1')}`,
      's.yaml: timeline[0].apply[0].spec.replicas: Too small: expected number to be >=0',
    ],
    [
      'a step with no action',
      `\n  - at: 2m`,
      's.yaml: timeline[0]: a step needs exactly one of apply, delete, interruptSpot, unavailableOffering, neverRegister, deleteNodeClaim, patchNodePool, patchNodeClass, annotatePods, advance (found none)',
    ],
    [
      'a step with two actions',
      `\n  - at: 2m\n    advance: 1m\n    neverRegister: {}`,
      's.yaml: timeline[0]: a step needs exactly one of apply, delete, interruptSpot, unavailableOffering, neverRegister, deleteNodeClaim, patchNodePool, patchNodeClass, annotatePods, advance (found neverRegister, advance)',
    ],
    [
      'a bad time',
      `\n  - at: 3x\n    advance: 1m`,
      's.yaml: timeline[0].at: must be a duration such as "30s", "10m" or "1h30m"',
    ],
    [
      'an unknown capacity type',
      `\n  - at: 0s\n    unavailableOffering: { instanceType: m5.large, capacityType: cheap }`,
      's.yaml: timeline[0].unavailableOffering.capacityType: Invalid option: expected one of "reserved"|"spot"|"on-demand"',
    ],
    [
      'an unknown field',
      `\n  - at: 0s\n    interruptSpot: { count: 1, pool: x }`,
      's.yaml: timeline[0].interruptSpot: Unrecognized key: "pool"',
    ],
    [
      'a bad pod-duration annotation',
      `\n  - at: 0s\n    apply:\n      - kind: Job\n        metadata: { name: j, annotations: { simulate.skyscale.dev/pod-duration: soon } }\n        spec: { template: { spec: { containers: [{ name: c }] } } }`,
      's.yaml: timeline[0].apply[0].metadata.annotations.simulate.skyscale.dev/pod-duration: must be a duration such as "30s", "10m" or "1h30m"',
    ],
    [
      'a patch of a NodePool the scenario does not have',
      `\n  - at: 5m\n    patchNodePool: { name: other, patch: { spec: {} } }`,
      's.yaml: timeline[0].patchNodePool.name: no NodePool "other" in nodePools',
    ],
    [
      'a NodePool patch that leaves an invalid budget',
      `\n  - at: 5m\n    patchNodePool: { name: default, patch: { spec: { disruption: { budgets: [{ nodes: lots }] } } } }`,
      's.yaml: timeline[0].patchNodePool.patch.spec.disruption.budgets[0].nodes: must be a node count or a percentage such as "10%"',
    ],
    [
      'an EC2NodeClass patch that removes a required field',
      `\n  - at: 5m\n    patchNodeClass: { name: default, patch: { spec: { subnetSelectorTerms: null } } }`,
      's.yaml: timeline[0].patchNodeClass.patch.spec.subnetSelectorTerms: Invalid input: expected array, received undefined',
    ],
    [
      'a patch that renames its object',
      `\n  - at: 5m\n    patchNodeClass: { name: default, patch: { metadata: { name: other } } }`,
      's.yaml: timeline[0].patchNodeClass.patch.metadata.name: may not rename the object',
    ],
    [
      'a do-not-disrupt annotation that is neither "true" nor a duration',
      `\n  - at: 5m\n    annotatePods: { matchLabels: { app: web }, annotations: { karpenter.sh/do-not-disrupt: always } }`,
      's.yaml: timeline[0].annotatePods.annotations.karpenter.sh/do-not-disrupt: karpenter.sh/do-not-disrupt must be "true" or a duration such as "30m"',
    ],
    [
      'pods annotated without a selector',
      `\n  - at: 5m\n    annotatePods: { matchLabels: {}, annotations: { karpenter.sh/do-not-disrupt: "true" } }`,
      's.yaml: timeline[0].annotatePods.matchLabels: must name at least one label',
    ],
  ])('names the field of %s', (_case, timeline, expected) => {
    // Prepare
    const text = scenario(timeline);
    // Act
    const found = problems(text);
    // Assess
    expect(found).toEqual([expected]);
  });

  it('checks each patch against the object as the steps before it in time left it, whatever their order in the file', () => {
    // Prepare: the first step in the file comes last in time, after the class moved to an instance profile
    const text = scenario(
      `\n  - at: 9m\n    patchNodeClass: { name: default, patch: { spec: { role: r } } }` +
        `\n  - at: 5m\n    patchNodeClass: { name: default, patch: { spec: { role: null, instanceProfile: p } } }`,
    );
    // Act
    const found = problems(text);
    // Assess
    expect(found).toEqual([
      "s.yaml: timeline[0].patchNodeClass.patch.spec.instanceProfile: must specify exactly one of ['role', 'instanceProfile']",
    ]);
  });

  it('keeps a problem on one line when an unknown key spans lines', () => {
    // Prepare: a YAML complex key written over two lines
    const text = `? |\n  first line\n  second line\n: x\n${scenario(`\n  - at: 0s\n    advance: 1m`)}`;
    // Act
    const found = problems(text);
    // Assess
    expect(found).toEqual(['s.yaml: Unrecognized key: "first line second line "']);
  });

  it('names a NodePool whose EC2NodeClass is not in the scenario', () => {
    // Prepare
    const text = scenario(
      `\n  - at: 0s\n    advance: 1m`,
      NODE_POOL.replace('EC2NodeClass, name: default', 'EC2NodeClass, name: missing'),
    );
    // Act
    const found = problems(text);
    // Assess
    expect(found).toEqual([
      's.yaml: nodePools[0].spec.template.spec.nodeClassRef.name: no EC2NodeClass "missing" in nodeClasses',
    ]);
  });

  it('names invalid fields inside embedded Karpenter objects', () => {
    // Prepare
    const text = scenario(
      `\n  - at: 0s\n    advance: 1m`,
      NODE_POOL.replace('requirements: []', 'requirements: [{ key: a, operator: Near }]'),
    );
    // Act
    const found = problems(text);
    // Assess
    expect(found[0]).toMatch(
      /^s\.yaml: nodePools\[0\]\.spec\.template\.spec\.requirements\[0\]\.operator: /,
    );
  });

  it('reports a YAML syntax error with its line', () => {
    // Prepare
    const text = 'name: [unclosed\n';
    // Act
    const found = problems(text);
    // Assess
    expect(found[0]).toMatch(/^s\.yaml:\d+: invalid YAML/);
  });
});
