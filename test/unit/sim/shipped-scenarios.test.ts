import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { durationMilliseconds } from '../../../lib/apis/index.ts';
import { Labels } from '../../../lib/apis/labels.ts';
import {
  BATCH_MAX_MS,
  buildReport,
  loadScenario,
  simulate,
  skyscaleRuns,
  type SimulationResult,
} from '../../../lib/sim/index.ts';
import { scenarioProblems } from '../../fixtures/scenario-checks.ts';

const SCENARIOS = fileURLToPath(new URL('../../../examples/scenarios/', import.meta.url));
const files = readdirSync(SCENARIOS).filter((file) => file.endsWith('.yaml'));
/** Too large for the unit tests' time budget: `npm run bench:simulate` runs it with the same checks. */
const BENCHMARK_ONLY = new Set(['large-10k.yaml']);
const TIMEOUT_MS = 60_000;

const runs = new Map<string, Promise<SimulationResult>>();
function run(file: string): Promise<SimulationResult> {
  let result = runs.get(file);
  if (!result)
    runs.set(
      file,
      (result = loadScenario(`${SCENARIOS}${file}`).then((scenario) =>
        simulate({ scenario, runs: skyscaleRuns }),
      )),
    );
  return result;
}

function nodePoolOfPods(result: SimulationResult, owner: string): Set<string> {
  const poolOf = new Map(result.instances.map(({ nodeName, nodePool }) => [nodeName, nodePool]));
  return new Set(
    result.pods
      .filter((pod) => pod.owner === owner)
      .map(({ node }) => poolOf.get(node ?? '') ?? 'none'),
  );
}

describe('shipped scenarios', () => {
  it('ships the web burst, batch, GPU and 10,000-pod scenarios', () => {
    // Assess
    expect(files).toEqual(
      expect.arrayContaining([
        'web-burst.yaml',
        'batch-spot-on-demand.yaml',
        'gpu-job.yaml',
        'large-10k.yaml',
      ]),
    );
  });

  it.each(files.filter((file) => !BENCHMARK_ONLY.has(file)))(
    '%s: every pod is scheduled, within the cost the catalog allows, on nodes launched for it',
    async (file) => {
      // Act
      const result = await run(file);

      // Assess
      expect(await scenarioProblems(result, buildReport(result))).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it('the scenario checks report an unscheduled pod and a cost outside the catalog bounds', async () => {
    // Prepare
    const result = await run('web-burst.yaml');
    const report = buildReport(result);
    const broken = {
      ...report,
      pods: {
        ...report.pods,
        scheduled: report.pods.created - 1,
        unschedulable: [{ pod: 'default/stuck', reason: 'no NodePool fits' }],
      },
      cost: { ...report.cost, totalUSD: report.cost.totalUSD * 100 },
    };

    // Act
    const problems = await scenarioProblems(result, broken);

    // Assess
    expect(problems).toEqual(
      expect.arrayContaining([
        '1 pods unschedulable',
        `${report.pods.created - 1} of ${report.pods.created} pods scheduled`,
        expect.stringMatching(/^cost .* USD outside \[/),
      ]),
    );
  });

  it('web-burst: pods wait no longer than one batch window and a boot, and the burst is placed at once', async () => {
    // Act
    const result = await run('web-burst.yaml');
    const report = buildReport(result);
    // Assess
    const boot = durationMilliseconds(result.scenario.settings.bootDelay);
    expect(report.pendingTime.maxSeconds * 1000).toBeLessThanOrEqual(BATCH_MAX_MS + boot);
    expect(Math.max(...result.samples.map(({ pendingPods }) => pendingPods))).toBe(300);
    expect(report.pods.created).toBe(300);
  });

  it('batch-spot-on-demand: spot stays within its 64 vCPU limit, overflow goes on-demand, and the exhausted offering is never bought', async () => {
    // Act
    const result = await run('batch-spot-on-demand.yaml');
    // Assess
    const spot = result.instances.filter(({ nodePool }) => nodePool === 'batch-spot');
    expect(spot.length).toBeGreaterThan(0);
    expect(spot.every(({ capacityType }) => capacityType === 'spot')).toBe(true);
    expect(spot.reduce((sum, { capacity }) => sum + (capacity['cpu'] ?? 0), 0)).toBeLessThanOrEqual(
      64_000,
    );
    expect(
      result.instances.some(
        ({ nodePool, capacityType }) =>
          nodePool === 'batch-on-demand' && capacityType === 'on-demand',
      ),
    ).toBe(true);
    expect(
      result.instances.filter(
        ({ instanceType, capacityType }) =>
          instanceType.name === 'm5a.8xlarge' && capacityType === 'spot',
      ),
    ).toEqual([]);
  });

  it('gpu-job: training pods run on GPU nodes only, and the web tier never lands there', async () => {
    // Act
    const result = await run('gpu-job.yaml');
    // Assess
    expect(nodePoolOfPods(result, 'Job/default/train')).toEqual(new Set(['gpu']));
    expect(nodePoolOfPods(result, 'Deployment/default/web')).toEqual(new Set(['general-purpose']));
    const gpuNodes = result.instances.filter(({ nodePool }) => nodePool === 'gpu');
    expect(gpuNodes.length).toBeGreaterThan(0);
    expect(
      gpuNodes.every(({ labels }) => labels[Labels.instanceGpuManufacturer] === 'nvidia'),
    ).toBe(true);
  });
});
