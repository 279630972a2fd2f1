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

/**
 * The samples at which the disruption run had more of the NodePool's nodes out of service than
 * `share` of its nodes allows, rounded up as Karpenter rounds: a disrupted node counts from its
 * command until its instance terminates. Returns the count at each sample too.
 */
function budgetCheck(result: SimulationResult, share: number) {
  const endOf = new Map(
    result.instances.map(({ nodeClaimName, terminatedAt }) => [nodeClaimName, terminatedAt]),
  );
  const disruptingAt = (at: number) =>
    result.disruptions.filter(
      (record) =>
        record.at <= at && (endOf.get(record.nodeClaim) ?? Infinity) - result.startTime > at,
    ).length;
  const over = result.samples.filter(
    ({ at, nodes }) => disruptingAt(at) > Math.ceil(nodes * share),
  );
  return { disruptingAt, over };
}

describe('shipped scenarios', () => {
  it('ships the web burst, batch, GPU, drift rollout, consolidation and 10,000-pod scenarios', () => {
    // Assess
    expect(files).toEqual(
      expect.arrayContaining([
        'web-burst.yaml',
        'batch-spot-on-demand.yaml',
        'gpu-job.yaml',
        'drift-rollout.yaml',
        'consolidation.yaml',
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
      expect(scenarioProblems(result, buildReport(result))).toEqual([]);
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
    const problems = scenarioProblems(result, broken);

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

  it('web-burst: once the burst is over, emptiness removes every node, and the cost stops with them', async () => {
    // Act
    const result = await run('web-burst.yaml');
    const report = buildReport(result);
    // Assess
    const end = result.startTime + result.duration;
    expect(result.instances.filter(({ terminatedAt }) => terminatedAt === undefined)).toEqual([]);
    expect(report.disruptions).toEqual([{ reason: 'Empty', nodeClaims: result.instances.length }]);
    const lastTermination = Math.max(
      ...result.instances.map(({ terminatedAt }) => terminatedAt ?? end),
    );
    expect(lastTermination).toBeLessThan(end);
    const spentByThen = result.samples
      .filter(({ at }) => result.startTime + at <= lastTermination)
      .at(-1);
    expect(result.samples.at(-1)?.costUSD).toBeCloseTo(spentByThen?.costUSD ?? 0, 6);
  });

  it('drift-rollout: the NodePool change replaces every node, never more at once than the 20 % budget allows, and no pod waits longer than a boot', async () => {
    // Act
    const result = await run('drift-rollout.yaml');
    const report = buildReport(result);
    // Assess
    const patchedAt = durationMilliseconds(
      result.scenario.timeline.find((step) => step.patchNodePool)?.at ?? '0s',
    );
    const original = result.instances.filter(
      ({ launchedAt }) => launchedAt - result.startTime < patchedAt,
    );
    expect(original.length).toBe(10);
    expect(original.every(({ terminatedAt }) => terminatedAt !== undefined)).toBe(true);
    const drifted = result.disruptions.filter(({ reason }) => reason === 'Drifted');
    expect(drifted.map(({ nodeClaim }) => nodeClaim).sort()).toEqual(
      original.map(({ nodeClaimName }) => nodeClaimName).sort(),
    );
    expect(report.disruptions).toContainEqual({ reason: 'Drifted', nodeClaims: 10 });
    // At every sample the nodes being disrupted stay within 20 % of the NodePool's nodes.
    const { disruptingAt, over } = budgetCheck(result, 0.2);
    expect(over).toEqual([]);
    // With the 10 nodes alone (before any replacement initialized) that is 2, and two commands run at once.
    const firstReplacementReady = Math.min(
      ...result.instances
        .filter(({ launchedAt }) => launchedAt - result.startTime >= patchedAt)
        .map(({ readyAt }) => (readyAt ?? Infinity) - result.startTime),
    );
    const beforeReplacements = result.samples.filter(({ at }) => at < firstReplacementReady);
    expect(Math.max(...beforeReplacements.map(({ at }) => disruptingAt(at)))).toBe(2);
    // Pods the rollout evicted find a place on a replacement that was ready before them.
    const boot = durationMilliseconds(result.scenario.settings.bootDelay);
    const moved = result.pods.filter(
      ({ daemonSet, createdAt }) => !daemonSet && createdAt >= patchedAt,
    );
    expect(moved.length).toBeGreaterThanOrEqual(10);
    expect(
      moved.filter(({ boundAt, createdAt }) => (boundAt ?? Infinity) - createdAt > boot),
    ).toEqual([]);
  });

  it('consolidation: the scale-down leaves 40 nodes a third used; deleting and replacing them ends within 15 % of the lower bound, never past the 10 % budget', async () => {
    // Act
    const result = await run('consolidation.yaml');
    const report = buildReport(result);
    // Assess
    const scaledDownAt = durationMilliseconds(
      result.scenario.timeline.find((step) => step.delete)?.at ?? '0s',
    );
    const atScaleDown = result.samples.filter(({ at }) => at <= scaledDownAt).at(-1);
    expect(atScaleDown?.nodes).toBe(40);
    expect(report.disruptions).toEqual([
      { reason: 'Underutilized', nodeClaims: expect.any(Number) as number },
    ]);
    // Deleting alone would leave m5.large nodes: cheaper m5a replacements took their place.
    const left = result.instances.filter(({ terminatedAt }) => terminatedAt === undefined);
    expect(left.map(({ instanceType }) => instanceType.name.split('.')[0])).toEqual(
      left.map(() => 'm5a'),
    );
    const { end } = report.cost;
    expect(end.ratioToLowerBound).not.toBeNull();
    expect(end.ratioToLowerBound).toBeLessThanOrEqual(1.15);
    // Over the whole run the 40 nodes were paid for before consolidation: the run costs more.
    expect(report.cost.ratioToLowerBound).toBeGreaterThan(end.ratioToLowerBound ?? Infinity);
    const { disruptingAt, over } = budgetCheck(result, 0.1);
    expect(over).toEqual([]);
    expect(Math.max(...result.samples.map(({ at }) => disruptingAt(at)))).toBe(4);
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
