import { describe, expect, it } from 'vitest';
import { parseScenario, simulate, skyscaleRuns } from '../../../lib/sim/index.ts';

const deployment = (app: string) => `
      - apiVersion: apps/v1
        kind: Deployment
        metadata: { name: ${app} }
        spec:
          replicas: 1
          selector: { matchLabels: { app: ${app} } }
          template:
            metadata: { labels: { app: ${app} } }
            spec:
              containers:
                - name: ${app}
                  resources: { requests: { cpu: 1500m, memory: 1Gi } }`;

/** Two nodes of one pod each; at 5m the pods of `protected` get `annotations`, at 6m the EC2NodeClass changes. */
function scenario(annotations: string): string {
  return `
name: node-class-change
settings: { settle: 10m }
nodePools:
  - apiVersion: karpenter.sh/v1
    kind: NodePool
    metadata: { name: web }
    spec:
      template:
        spec:
          requirements:
            - { key: node.kubernetes.io/instance-type, operator: In, values: [m5.large] }
            - { key: karpenter.sh/capacity-type, operator: In, values: [on-demand] }
          nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }
      disruption: { budgets: [{ nodes: "100%" }] }
nodeClasses:
  - apiVersion: karpenter.k8s.aws/v1
    kind: EC2NodeClass
    metadata: { name: default }
    spec:
      role: r
      amiSelectorTerms: [{ alias: al2023@latest }]
      subnetSelectorTerms: [{ tags: { a: b } }]
      securityGroupSelectorTerms: [{ tags: { a: b } }]
timeline:
  - at: 1m
    apply:${deployment('free')}${deployment('protected')}
  - at: 5m
    annotatePods: { matchLabels: { app: protected }, annotations: ${annotations} }
  - at: 6m
    patchNodeClass: { name: default, patch: { spec: { tags: { team: payments } } } }
`;
}

async function drifted(annotations: string): Promise<{ replaced: string[]; podsOn: string[] }> {
  const result = await simulate({
    scenario: parseScenario('s.yaml', scenario(annotations)),
    runs: skyscaleRuns,
  });
  const firstNodes = result.instances.filter(
    ({ launchedAt }) => launchedAt - result.startTime < 5 * 60_000,
  );
  const nodeOfPod = (app: string) =>
    result.pods.find(({ owner }) => owner === `Deployment/default/${app}`)?.node;
  const driftedClaims = new Set(
    result.disruptions
      .filter(({ reason }) => reason === 'Drifted')
      .map(({ nodeClaim }) => nodeClaim),
  );
  return {
    replaced: firstNodes
      .filter(({ nodeClaimName }) => driftedClaims.has(nodeClaimName))
      .map(({ nodeName }) => nodeName),
    podsOn: ['free', 'protected'].map((app) => nodeOfPod(app) ?? 'none'),
  };
}

describe('timeline actions that change the node class and annotate pods', () => {
  it('an EC2NodeClass change drifts both nodes; a do-not-disrupt pod keeps its node, the other node is replaced', async () => {
    // Act
    const blocked = await drifted('{ karpenter.sh/do-not-disrupt: "true" }');
    const unblocked = await drifted('{ example.com/owner: web }');

    // Assess
    expect(blocked.replaced).toEqual([blocked.podsOn[0]]);
    expect(unblocked.replaced.sort()).toEqual([...unblocked.podsOn].sort());
  }, 60_000);
});
