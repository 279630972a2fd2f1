import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/main.ts';
import { catalogPrices, type StatusReport } from '../../lib/cli/status/index.ts';
import { ClientNodeTransport, kubeConfigFromFile } from '../../lib/kube/client-node/index.ts';
import { createTestNamespace, kubeConfigPath } from '../env/index.ts';
import { createStatusWorld, type StatusWorld } from '../fixtures/status-world.ts';

async function status(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['status', '--kubeconfig', kubeConfigPath(), ...args], {
    out: (text) => void (out += text),
    err: (text) => void (err += text),
  });
  return { code, out, err };
}

describe('skyscale status against the real kube-apiserver', () => {
  let world: StatusWorld;

  beforeAll(async () => {
    const namespace = await createTestNamespace('status');
    const transport = new ClientNodeTransport(kubeConfigFromFile(kubeConfigPath()));
    world = await createStatusWorld(transport, namespace, namespace);
  });

  afterAll(async () => {
    await world?.cleanUp();
  });

  it('reports each node with its requests against allocatable, its price and the cluster cost', async () => {
    // Act
    const { code, out } = await status('--nodepool', world.pool, '-o', 'json');
    // Assess
    expect(code).toBe(0);
    const report = JSON.parse(out) as StatusReport;
    const prices = catalogPrices('us-east-1');
    const spotPrice = prices('c6a.4xlarge', 'spot', 'us-east-1a');
    const onDemandPrice = prices('m5.large', 'on-demand', 'us-east-1b');
    expect(report.nodes).toEqual([
      expect.objectContaining({
        name: world.nodes[0]?.name,
        nodePool: world.pool,
        instanceType: 'c6a.4xlarge',
        capacityType: 'spot',
        zone: 'us-east-1a',
        cpu: { requested: 10_000, allocatable: 15_890 },
        memory: { requested: 18 * 2 ** 30, allocatable: 27 * 2 ** 30 },
        pods: 3,
        priceUSDPerHour: spotPrice,
      }),
      expect.objectContaining({
        name: world.nodes[1]?.name,
        capacityType: 'on-demand',
        cpu: { requested: 500, allocatable: 1930 },
        pods: 1,
        priceUSDPerHour: onDemandPrice,
      }),
    ]);
    expect(report.costUSDPerHour).toBeCloseTo((spotPrice ?? NaN) + (onDemandPrice ?? NaN), 9);
    expect(report.nodePools).toEqual([
      expect.objectContaining({
        name: world.pool,
        nodes: 2,
        usage: { cpu: '18', memory: '35Gi' },
        limits: { cpu: '100', memory: '400Gi' },
        ready: { status: 'True' },
        nodeRegistrationHealthy: { status: 'False', reason: 'RegistrationFailed' },
      }),
    ]);
  });

  it('lists the NodeClaims launching, drifted or being disrupted with why', async () => {
    // Act
    const { out } = await status('--nodepool', world.pool, '-o', 'json');
    // Assess
    const report = JSON.parse(out) as StatusReport;
    expect(report.nodeClaims.map(({ name, state, why }) => ({ name, state, why }))).toEqual([
      {
        name: world.claims.deleting,
        state: 'Disrupting',
        why: 'Underutilized: replaced by a cheaper node',
      },
      {
        name: world.claims.drifted,
        state: 'Drifted',
        why: 'NodePoolDrifted: the NodePool template changed',
      },
      {
        name: world.claims.launching,
        state: 'Launching',
        why: 'InsufficientCapacity: no c6a.4xlarge spot in us-east-1a',
      },
    ]);
  });

  it('draws a screen that fits 100 columns and ends with the cost per hour', async () => {
    // Act
    const { code, out } = await status('--nodepool', world.pool);
    // Assess
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(100);
    expect(lines[0]).toBe('NODEPOOLS (1)');
    expect(out).toContain('NODE (*.ec2.internal)');
    expect(lines.find((line) => line.startsWith(`${world.pool}-a `))).toMatch(
      /c6a\.4xlarge\s+spot\s+us-east-1a\s+\d+s\s+███░░ 63%\s+███░░ 67%\s+3\s+\$0\.\d{4}/,
    );
    expect(lines.at(-1)).toMatch(
      /^2 node\(s\) \(1 spot, 1 on-demand\), 3 NodeClaim\(s\) in transition: \$0\.\d{4}\/h/,
    );
  });
});
