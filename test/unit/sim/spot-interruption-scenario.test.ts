import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  SPOT_INTERRUPTION_NOTICE_MS,
  type SimulatedInstance,
} from '../../../lib/cloudprovider/simulated/index.ts';
import { UNAVAILABLE_OFFERING_TTL_MS } from '../../../lib/cloudprovider/ec2-model/index.ts';
import {
  buildReport,
  loadScenario,
  simulate,
  skyscaleRuns,
  type SimulationResult,
} from '../../../lib/sim/index.ts';

const SCENARIO = fileURLToPath(
  new URL('../../../examples/scenarios/spot-interruption.yaml', import.meta.url),
);

describe('the spot-interruption scenario', { timeout: 60_000 }, () => {
  let result: SimulationResult;
  let warned: SimulatedInstance[];
  let warningAt: number;
  beforeAll(async () => {
    result = await simulate({ scenario: await loadScenario(SCENARIO), runs: skyscaleRuns });
    warned = result.instances.filter(({ interruptedAt }) => interruptedAt !== undefined);
    warningAt = Math.min(...warned.map(({ interruptedAt }) => interruptedAt ?? Infinity));
  }, 60_000);

  it('delivers the three warnings to one interruption run, and the report lists them', () => {
    // Act
    const report = buildReport(result);

    // Assess
    expect(warned).toHaveLength(3);
    expect(result.runs['interruption']).toBe(1);
    expect(report.interruptions.map(({ instanceId }) => instanceId)).toEqual(
      warned.map(({ id }) => id),
    );
    expect(
      result.decisions
        .filter(({ source }) => source === 'interruption')
        .map(({ message }) => message),
    ).toEqual([expect.stringMatching(/deleted NodeClaim .*deleted NodeClaim .*deleted NodeClaim/)]);
  });

  it('puts every pod of a reclaimed node back on a node before EC2 takes the instance', () => {
    // Prepare
    const since = warningAt - result.startTime;

    // Act
    const replacements = result.pods.filter((pod) => !pod.daemonSet && pod.createdAt >= since);

    // Assess
    expect(replacements.length).toBeGreaterThan(0);
    for (const pod of replacements) {
      expect(pod.boundAt).toBeDefined();
      expect((pod.boundAt ?? Infinity) - since).toBeLessThanOrEqual(SPOT_INTERRUPTION_NOTICE_MS);
    }
  });

  it('launches the replacements at once, and none on a reclaimed offering for its three minutes', () => {
    // Prepare
    const reclaimed = new Set(
      warned.map(({ instanceType, zone }) => `${instanceType.name} ${zone}`),
    );

    // Act
    const launchedWhileUnavailable = result.instances.filter(
      ({ launchedAt }) =>
        launchedAt >= warningAt && launchedAt < warningAt + UNAVAILABLE_OFFERING_TTL_MS,
    );

    // Assess
    expect(launchedWhileUnavailable.map(({ launchedAt }) => launchedAt - warningAt)).toEqual(
      warned.map(() => 0),
    );
    expect(
      launchedWhileUnavailable.filter(
        ({ instanceType, zone, capacityType }) =>
          capacityType === 'spot' && reclaimed.has(`${instanceType.name} ${zone}`),
      ),
    ).toEqual([]);
  });
});
