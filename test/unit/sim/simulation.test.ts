import { describe, expect, it } from 'vitest';
import {
  buildReport,
  parseScenario,
  simulate,
  skyscaleRuns,
  type CloudEvent,
  type SimulationRuns,
} from '../../../lib/sim/index.ts';

const HEADER = `
name: loop
settings: { settle: 5m }
nodePools:
  - apiVersion: karpenter.sh/v1
    kind: NodePool
    metadata: { name: spot }
    spec:
      template:
        spec:
          requirements:
            - { key: karpenter.sh/capacity-type, operator: In, values: [spot] }
            - { key: node.kubernetes.io/instance-type, operator: In, values: [m5.large, m5.xlarge] }
          nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }
nodeClasses:
  - apiVersion: karpenter.k8s.aws/v1
    kind: EC2NodeClass
    metadata: { name: default }
    spec:
      role: r
      amiSelectorTerms: [{ alias: al2023@latest }]
      subnetSelectorTerms: [{ tags: { a: b } }]
      securityGroupSelectorTerms: [{ tags: { a: b } }]
`;

function deployment(name: string, replicas: number): string {
  return `
      - kind: Deployment
        metadata: { name: ${name} }
        spec:
          replicas: ${replicas}
          selector: { matchLabels: { app: ${name} } }
          template: { spec: { containers: [{ name: app, resources: { requests: { cpu: 500m, memory: 512Mi } } }] } }`;
}

function scenario(timeline: string, duration?: string) {
  const text = `${HEADER}timeline:${timeline}\n`;
  return parseScenario(
    'loop.yaml',
    duration
      ? text.replace('settings: { settle: 5m }', `settings: { duration: ${duration} }`)
      : text,
  );
}

describe('simulate', () => {
  it('debounces pod creations like the webhook: one provisioning run per batch window', async () => {
    // Prepare
    const steps = [0, 0, 5]
      .map((second, index) => `\n  - at: ${second}s\n    apply:${deployment(`app${index}`, 1)}`)
      .join('');
    const provisioningAt: number[] = [];
    const ticks: number[] = [];
    const runs = (world: Parameters<typeof skyscaleRuns>[0]): SimulationRuns => ({
      provisioning: () => {
        provisioningAt.push(world.clock.now());
        return Promise.resolve();
      },
      tick: [
        () => {
          ticks.push(world.clock.now());
          return Promise.resolve();
        },
      ],
    });
    // Act
    const result = await simulate({ scenario: scenario(steps), runs, startTime: 0 });
    // Assess
    expect(provisioningAt).toEqual([1_000, 6_000]);
    expect(ticks.slice(0, 3)).toEqual([60_000, 120_000, 180_000]);
    expect(result.runs).toMatchObject({ provisioning: 2 });
  });

  it('reclaims an interrupted spot instance after two minutes; its pods come back pending, and the interruption run hears of it', async () => {
    // Prepare
    const steps = `\n  - at: 0s\n    apply:${deployment('web', 2)}\n  - at: 5m\n    interruptSpot: { count: 1 }`;
    const heard: CloudEvent[] = [];
    const runs = (world: Parameters<typeof skyscaleRuns>[0]): SimulationRuns => ({
      ...skyscaleRuns(world),
      interruption: (events) => {
        heard.push(...events);
        return Promise.resolve();
      },
    });
    // Act
    const result = await simulate({ scenario: scenario(steps, '10m'), runs, startTime: 0 });
    // Assess
    const [instance] = result.instances;
    expect(instance?.interruptedAt).toBe(300_000);
    expect(instance?.terminatedAt).toBe(420_000);
    expect(heard).toEqual([
      expect.objectContaining({
        'detail-type': 'EC2 Spot Instance Interruption Warning',
        detail: { 'instance-id': instance?.id, 'instance-action': 'terminate' },
      }),
    ]);
    const replaced = result.pods.filter(({ key }) => key === 'default/web-0');
    expect(replaced.map(({ createdAt, endedAt }) => [createdAt, endedAt])).toEqual([
      [0, 420_000],
      [420_000, undefined],
    ]);
    expect(result.decisions.map(({ message }) => message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`EC2 reclaimed spot instance ${instance?.id}`),
      ]),
    );
    // The reclaimed node leaves the cluster; the termination run releases it and its claim, and a replacement launches.
    const later = result.decisions.filter(({ at }) => at >= 420_000).map(({ message }) => message);
    expect(later).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^launched i-0+2 .* for NodeClaim spot-/),
        expect.stringMatching(/^follow-up-\d+: terminated ip-10-0-0-1\.ec2\.internal, spot-/),
      ]),
    );
    expect(result.instances).toHaveLength(2);
  });

  it('replaces an instance that never registers after the 15-minute registration TTL', async () => {
    // Prepare
    const steps = `\n  - at: 0s\n    neverRegister: { count: 1 }\n  - at: 0s\n    apply:${deployment('web', 1)}`;
    // Act
    const result = await simulate({
      scenario: scenario(steps, '20m'),
      runs: skyscaleRuns,
      startTime: 0,
    });
    const report = buildReport(result);
    // Assess
    const [stuck, replacement] = result.instances;
    expect(stuck?.registersAt).toBeUndefined();
    expect(stuck?.terminatedAt).toBeGreaterThanOrEqual((stuck?.launchedAt ?? 0) + 15 * 60_000);
    expect(stuck?.terminatedAt).toBeLessThanOrEqual((stuck?.launchedAt ?? 0) + 15 * 60_000 + 2_000);
    expect(replacement?.launchedAt).toBeGreaterThanOrEqual(stuck?.terminatedAt ?? Infinity);
    expect(report.pods).toMatchObject({ created: 1, scheduled: 1, unschedulable: [] });
    expect(report.pendingTime.maxSeconds).toBeGreaterThan(15 * 60);
    expect(result.decisions.map(({ message }) => message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('will never register'),
        expect.stringMatching(/NodeClaim spot-\w+ did not register in time; deleted/),
      ]),
    );
    expect(report.nodePools.find(({ nodePool }) => nodePool === 'spot')?.conditions).toContain(
      'NodeRegistrationHealthy=True (NodeRegistrationHealthy)',
    );
    // Twenty simulated minutes of ticks and their follow-up passes.
  }, 30_000);

  it('drains and terminates a node on deleteNodeClaim; its pods move to a replacement', async () => {
    // Prepare
    const steps = `\n  - at: 0s\n    apply:${deployment('web', 2)}\n  - at: 5m\n    deleteNodeClaim: { count: 1 }`;
    // Act
    const result = await simulate({
      scenario: scenario(steps, '10m'),
      runs: skyscaleRuns,
      startTime: 0,
    });
    // Assess
    const [drained, replacement] = result.instances;
    expect(drained?.terminatedAt).toBeGreaterThan(300_000);
    expect(replacement?.terminatedAt).toBeUndefined();
    const messages = result.decisions.map(({ message }) => message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^kubectl delete nodeclaim spot-\w+$/),
        expect.stringMatching(/evicted 2 pod\(s\)/),
      ]),
    );
    const web = result.pods.filter(({ owner }) => owner === 'Deployment/default/web');
    expect(web.filter(({ endedAt }) => endedAt === undefined)).toHaveLength(2);
    expect(web.filter(({ endedAt }) => endedAt === undefined).every(({ boundAt }) => boundAt)).toBe(
      true,
    );
  });

  it('shows a booting node with its boot taints, and launches nothing more for pods that will fit on it', async () => {
    // Prepare: the second Deployment arrives after the node registered (35 s) and before it is Ready (45 s).
    const steps = `\n  - at: 0s\n    apply:${deployment('web', 1)}\n  - at: 38s\n    apply:${deployment('more', 2)}`;
    const withStartupTaint = scenario(steps, '3m');
    const [pool] = withStartupTaint.nodePools;
    if (!pool) throw new Error('no NodePool');
    pool.spec.template.spec.startupTaints = [
      { key: 'agent.example.com/starting', effect: 'NoSchedule' },
    ];
    // Act
    const result = await simulate({ scenario: withStartupTaint, runs: skyscaleRuns, startTime: 0 });
    // Assess
    expect(result.instances).toHaveLength(1);
    expect(result.pods.every(({ boundAt }) => boundAt !== undefined && boundAt >= 45_000)).toBe(
      true,
    );
    const messages = result.decisions.map(({ message }) => message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/registered \(/),
        expect.stringContaining('is Ready; its boot taints are lifted'),
        expect.stringMatching(/provisioning-2: nominated \d+ pod\(s\)$/),
      ]),
    );
  });

  it('binds a scaled-up Deployment on one launch and removes pods on scale-down', async () => {
    // Prepare
    const steps = `\n  - at: 0s\n    apply:${deployment('web', 3)}\n  - at: 10m\n    apply:${deployment('web', 1)}`;
    // Act
    const result = await simulate({ scenario: scenario(steps), runs: skyscaleRuns, startTime: 0 });
    // Assess
    const ended = result.pods
      .filter(({ endedAt }) => endedAt !== undefined)
      .map(({ key }) => key)
      .sort();
    expect(ended).toEqual(['default/web-1', 'default/web-2']);
    expect(result.pods.length).toBeGreaterThan(0);
    expect(result.pods.every(({ boundAt }) => boundAt !== undefined)).toBe(true);
  });
});

describe('simulate, when a run fails', () => {
  it('records the failure and carries on, as a failed Lambda invocation leaves the next trigger to retry', async () => {
    // Prepare
    const steps = `\n  - at: 0s\n    apply:${deployment('web', 1)}`;
    // The webhook's run fails; the schedule's safety-net pass (the real one) then places the pod.
    const runs = (world: Parameters<typeof skyscaleRuns>[0]): SimulationRuns => ({
      ...skyscaleRuns(world),
      provisioning: () => Promise.reject(new Error('apiserver unavailable')),
    });
    // Act
    const result = await simulate({ scenario: scenario(steps, '5m'), runs, startTime: 0 });
    // Assess
    expect(result.decisions.map(({ message }) => message)).toContain(
      'provisioning-1 failed: apiserver unavailable',
    );
    expect(result.pods.length).toBeGreaterThan(0);
    expect(result.pods.every(({ boundAt }) => boundAt !== undefined)).toBe(true);
  });
});
