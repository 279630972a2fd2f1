import { describe, expect, it } from 'vitest';
import type { SimulatedInstance } from '../../../lib/cloudprovider/simulated/index.ts';
import {
  buildReport,
  groupedDecisions,
  percentile,
  REPORT_COLUMNS,
  wrapLine,
  renderReportHtml,
  renderReportText,
  type SimulationResult,
} from '../../../lib/sim/index.ts';
import { niceTicks } from '../../../lib/sim/svg-chart.ts';
import { parseScenario } from '../../../lib/sim/scenario-loader.ts';
import { instanceType } from '../../fixtures/instance-type.ts';

const HOUR = 3_600_000;
const scenario = parseScenario(
  'r.yaml',
  `
name: report
description: two pools
nodePools:
  - { apiVersion: karpenter.sh/v1, kind: NodePool, metadata: { name: a }, spec: { template: { spec: { requirements: [], nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default } } } } }
  - { apiVersion: karpenter.sh/v1, kind: NodePool, metadata: { name: idle }, spec: { template: { spec: { requirements: [], nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default } } } } }
nodeClasses:
  - { apiVersion: karpenter.k8s.aws/v1, kind: EC2NodeClass, metadata: { name: default }, spec: { role: r, amiSelectorTerms: [{ alias: al2023@latest }], subnetSelectorTerms: [{ tags: { a: b } }], securityGroupSelectorTerms: [{ tags: { a: b } }] } }
timeline:
  - { at: 0s, advance: 2h }
`,
);

function instance(
  id: string,
  type: string,
  capacityType: 'spot' | 'on-demand',
  price: number,
  launchedAt: number,
  terminatedAt?: number,
): SimulatedInstance {
  return {
    id,
    providerID: `aws:///us-east-1a/${id}`,
    nodeName: `node-${id}`,
    nodeClaimName: `a-${id}`,
    nodeClass: 'default',
    nodeClaimUid: id,
    nodePool: 'a',
    instanceType: instanceType(type, 2, 4),
    zone: 'us-east-1a',
    capacityType,
    priceUSDPerHour: price,
    imageID: 'ami-1',
    capacity: {},
    allocatable: {},
    labels: {},
    nodeClassAnnotations: {},
    taints: [],
    startupTaints: [],
    exhaustedOnLaunch: [],
    launchedAt,
    registersAt: launchedAt + 35_000,
    readyAt: launchedAt + 45_000,
    ...(terminatedAt === undefined ? {} : { terminatedAt }),
  };
}

const result: SimulationResult = {
  scenario,
  startTime: 0,
  duration: 2 * HOUR,
  instances: [
    instance('i-1', 'm5.large', 'spot', 0.04, 0),
    instance('i-2', 'm5.large', 'spot', 0.04, HOUR),
    instance('i-3', 'c5.xlarge', 'on-demand', 0.17, 0, HOUR),
  ],
  pods: [
    {
      uid: '1',
      key: 'default/web-0',
      owner: 'Deployment/default/web',
      daemonSet: false,
      requests: { cpu: 500, pods: 1 },
      spec: {},
      createdAt: 0,
      boundAt: 10_000,
      node: 'node-i-1',
    },
    {
      uid: '2',
      key: 'default/web-1',
      owner: 'Deployment/default/web',
      daemonSet: false,
      requests: { cpu: 500, pods: 1 },
      spec: {},
      createdAt: 0,
      boundAt: 50_000,
      node: 'node-i-1',
      endedAt: HOUR,
    },
    {
      uid: '3',
      key: 'default/web-2',
      owner: 'Deployment/default/web',
      daemonSet: false,
      requests: { cpu: 500, pods: 1 },
      spec: {},
      createdAt: 0,
      boundAt: 90_000,
      node: 'node-i-3',
    },
    {
      uid: '4',
      key: 'default/web-3',
      owner: 'Deployment/default/web',
      daemonSet: false,
      requests: { cpu: 500, pods: 1 },
      spec: {},
      createdAt: 0,
      schedulerMessage: '0/2 nodes are available',
      provisioningReason: 'NodePool "a" limits leave no room',
    },
    {
      uid: '5',
      key: 'kube-system/agent-node-i-1',
      owner: 'DaemonSet/kube-system/agent',
      daemonSet: true,
      requests: { cpu: 100, pods: 1 },
      spec: {},
      createdAt: 45_000,
      boundAt: 45_000,
      node: 'node-i-1',
    },
  ],
  decisions: [
    { at: 60_000, source: 'provisioning', message: 'provisioning-1: created 2 NodeClaim(s) <b>' },
  ],
  disruptions: [
    { at: HOUR - 60_000, nodeClaim: 'a-i-3', reason: 'Empty' },
    { at: HOUR, nodeClaim: 'a-i-4', reason: 'Drifted' },
    { at: HOUR, nodeClaim: 'a-i-5', reason: 'Drifted' },
  ],
  samples: [
    {
      at: 0,
      nodes: 0,
      spotNodes: 0,
      launching: 2,
      pendingPods: 4,
      runningPods: 0,
      costUSD: 0,
      lowerBoundUSD: 0,
    },
    {
      at: HOUR,
      nodes: 2,
      spotNodes: 0,
      launching: 0,
      pendingPods: 1,
      runningPods: 0,
      costUSD: 0.21,
      lowerBoundUSD: 0.09,
    },
    {
      at: 2 * HOUR,
      nodes: 2,
      spotNodes: 0,
      launching: 0,
      pendingPods: 1,
      runningPods: 0,
      costUSD: 0.29,
      lowerBoundUSD: 0.145,
    },
  ],
  runs: { provisioning: 1, tick: 120 },
  offers: [],
  lowerBound: {
    steps: [
      { at: 10_000, usdPerHour: 0.09 },
      { at: HOUR, usdPerHour: 0.05 },
    ],
    totalUSD: 0.145,
    endPerHourUSD: 0.05,
  },
  nodePoolConditions: [
    {
      nodePool: 'a',
      conditions: [
        { type: 'Ready', status: 'True', reason: 'Ready' },
        { type: 'NodeRegistrationHealthy', status: 'False', reason: 'RegistrationFailed' },
      ],
    },
  ],
};

describe('percentile', () => {
  it('takes the nearest rank', () => {
    // Prepare
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    // Act
    const values = [
      percentile(sorted, 0.5),
      percentile(sorted, 0.95),
      percentile(sorted, 1),
      percentile([], 0.5),
    ];
    // Assess
    expect(values).toEqual([5, 10, 10, 0]);
  });
});

describe('buildReport', () => {
  it('sums cost per instance type, capacity type and NodePool from prices and running time', () => {
    // Act
    const report = buildReport(result);
    // Assess
    expect(report.cost.totalUSD).toBeCloseTo(0.04 * 2 + 0.04 * 1 + 0.17 * 1);
    expect(report.cost.perHourUSD).toBeCloseTo((0.04 * 3 + 0.17) / 2);
    expect(report.nodes).toMatchObject({ launched: 3, terminated: 1 });
    expect(
      report.nodes.byInstanceType.map(({ instanceType, capacityType, launched }) => [
        instanceType,
        capacityType,
        launched,
      ]),
    ).toEqual([
      ['c5.xlarge', 'on-demand', 1],
      ['m5.large', 'spot', 2],
    ]);
    expect(report.nodePools).toEqual([
      {
        nodePool: 'a',
        launched: 3,
        running: 2,
        costUSD: expect.closeTo(0.29),
        podHours: expect.closeTo((2 * HOUR - 10_000 + HOUR - 50_000 + 2 * HOUR - 90_000) / HOUR),
        conditions: ['Ready=True (Ready)', 'NodeRegistrationHealthy=False (RegistrationFailed)'],
      },
      { nodePool: 'idle', launched: 0, running: 0, costUSD: 0, podHours: 0, conditions: [] },
    ]);
  });

  it('sets the cost against the lower bound, over the run and at the end', () => {
    // Act
    const report = buildReport(result);
    // Assess
    expect(report.cost).toMatchObject({
      lowerBoundUSD: 0.145,
      ratioToLowerBound: expect.closeTo(0.29 / 0.145),
      end: { perHourUSD: 0.08, lowerBoundPerHourUSD: 0.05, ratioToLowerBound: expect.closeTo(1.6) },
    });
  });

  it('gives no ratio when no pod ran', () => {
    // Act
    const report = buildReport({
      ...result,
      lowerBound: { steps: [], totalUSD: 0, endPerHourUSD: 0 },
    });
    // Assess
    expect(report.cost.ratioToLowerBound).toBeNull();
    expect(report.cost.end.ratioToLowerBound).toBeNull();
    expect(renderReportText(report)).toContain('Lower bound: $0.0000');
  });

  it('measures pending time over workload pods, a pod never scheduled until the end, and lists the pods still pending with the provisioning reason', () => {
    // Act
    const report = buildReport(result);
    // Assess
    expect(report.pendingTime).toEqual({
      pods: 4,
      neverScheduled: 1,
      p50Seconds: 50,
      p95Seconds: 7200,
      maxSeconds: 7200,
    });
    expect(report.pods).toEqual({
      created: 4,
      scheduled: 3,
      unschedulable: [{ pod: 'default/web-3', reason: 'NodePool "a" limits leave no room' }],
    });
  });
});

describe('renderReportText', () => {
  it('prints every section of the summary', () => {
    // Act
    const text = renderReportText(buildReport(result));
    // Assess
    expect(text).toContain('Nodes: 3 launched, 1 terminated');
    expect(text).toContain('Cost: $0.2900 over the run, $0.1450 per hour');
    expect(text).toMatch(
      /Lower bound: \$0\.1450 \(the running pods packed fractionally onto the cheapest offerings the\s+NodePools\s+allow\); the run cost 2\.00 × it/,
    );
    expect(text).toContain(
      'At the end: $0.0800 per hour against a bound of $0.0500 per hour (1.60 ×)',
    );
    expect(text).toContain(
      'Pending time (4 pods, 1 never scheduled, counted until the end): p50 50s, p95 2h00m00s, max 2h00m00s',
    );
    expect(text).toContain(
      'NodePool a at the end: Ready=True (Ready), NodeRegistrationHealthy=False (RegistrationFailed)',
    );
    expect(text).toContain('default/web-3: NodePool "a" limits leave no room');
    expect(text).toMatch(/1m00s\s+provisioning\s+provisioning-1: created 2 NodeClaim\(s\)/);
    expect(text).toContain('Disruptions: Drifted 2, Empty 1');
  });
});

describe('the terminal report', () => {
  const launch = (at: number, id: string, type: string) => ({
    at,
    source: 'cloud' as const,
    message: `launched ${id} (${type}, spot, us-east-1a, NodePool a) at $0.0400/h for NodeClaim a-${id}`,
    group: `launched {n} × ${type} spot in us-east-1a (NodePool a) at $0.0400/h`,
  });

  it('groups alike decisions of one moment and source into one line where the first was', () => {
    // Prepare
    const decisions = [
      launch(1_000, 'i-1', 'm5.large'),
      { at: 1_000, source: 'cloud' as const, message: 'InsufficientInstanceCapacity for c5.large' },
      launch(1_000, 'i-2', 'm5.large'),
      launch(1_000, 'i-3', 'c5.xlarge'),
      launch(1_000, 'i-4', 'm5.large'),
      launch(2_000, 'i-5', 'm5.large'),
    ];

    // Act
    const lines = groupedDecisions(decisions).map(({ at, message }) => `${at} ${message}`);

    // Assess
    expect(lines).toEqual([
      '1000 launched 3 × m5.large spot in us-east-1a (NodePool a) at $0.0400/h',
      '1000 InsufficientInstanceCapacity for c5.large',
      `1000 ${launch(1_000, 'i-3', 'c5.xlarge').message}`,
      `2000 ${launch(2_000, 'i-5', 'm5.large').message}`,
    ]);
  });

  it('fits 100 columns, wrapping long lines under their text, and ends with the summary', () => {
    // Prepare
    const long = {
      at: 90_000,
      source: 'interruption' as const,
      message: Array.from({ length: 12 }, (_, index) => `deleted NodeClaim a-${index}`).join('; '),
    };
    const report = buildReport({
      ...result,
      decisions: [
        ...result.decisions,
        long,
        ...['i-1', 'i-2'].map((id) => launch(95_000, id, 'm5.large')),
      ],
    });

    // Act
    const lines = renderReportText(report).split('\n');

    // Assess
    expect(lines.filter((line) => line.length > REPORT_COLUMNS)).toEqual([]);
    expect(lines.at(-1)).toMatch(/^Pending time/);
    expect(lines.findIndex((line) => line.startsWith('Decisions'))).toBeLessThan(
      lines.findIndex((line) => line.startsWith('Nodes:')),
    );
    const continued = lines.findIndex((line) => line.includes('deleted NodeClaim a-0;')) + 1;
    expect(lines[continued]).toMatch(/^ {27}\S/);
    expect(lines).toContainEqual(
      expect.stringMatching(/1m35s\s+cloud\s+launched 2 × m5\.large spot in us-east-1a/),
    );
  });

  it('wraps at spaces only, leaving a word longer than the line whole', () => {
    // Act
    const lines = wrapLine('aaa bbb ccc https://example.com/a/very/long/path', 10, 2);

    // Assess
    expect(lines).toEqual(['aaa bbb', '  ccc', '  https://example.com/a/very/long/path']);
  });
});

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 × 10ⁿ to a top at or above the largest value', () => {
    expect(niceTicks(0, 1)).toEqual([0, 1]);
    expect(niceTicks(2, 1)).toEqual([0, 1, 2]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(300)).toEqual([0, 100, 200, 300]);
    expect(niceTicks(0.29)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(1234)).toEqual([0, 500, 1000, 1500]);
  });
});

describe('renderReportHtml', () => {
  it('is one self-contained page with the four charts and escaped text', () => {
    // Act
    const html = renderReportHtml(buildReport(result));
    // Assess
    expect(html).not.toMatch(/<script|<link|https?:\/\//);
    for (const chart of ['nodes', 'pods', 'cost', 'nodepools'])
      expect(html).toContain(`data-chart="${chart}"`);
    expect(html).toContain('created 2 NodeClaim(s) &#60;b&#62;');
    expect(html.match(/<rect class="bar"/g)).toHaveLength(2);
    expect(html).toContain('<h2>Disruptions</h2>');
    expect(html).toMatch(/<td>Drifted<\/td><td>2<\/td>/);
    expect(html).toContain('Cost / lower bound<b>2.00 ×</b>at the end 1.60 ×');
    expect(html).toContain('lower bound so far (USD)');
  });
});
