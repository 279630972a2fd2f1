import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../lib/apis/index.ts';
import type { AppliedWorkload } from '../../../lib/sim/scenario-schema.ts';
import { WorkloadController, podDuration } from '../../../lib/sim/workload-controller.ts';

const template = { spec: { containers: [{ name: 'app' }] } };

function deployment(replicas: number): AppliedWorkload {
  return {
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template },
  };
}

function job(
  completions: number,
  parallelism: number,
  annotations?: Record<string, string>,
): AppliedWorkload {
  return {
    kind: 'Job',
    metadata: { name: 'batch', ...(annotations ? { annotations } : {}) },
    spec: { completions, parallelism, template },
  };
}

const names = (pods: readonly Pod[]) => pods.map(({ metadata }) => metadata.name);

describe('WorkloadController', () => {
  it('creates the missing replicas and removes the highest indexes on a scale-down', () => {
    // Prepare
    const controller = new WorkloadController();
    controller.apply(deployment(3));
    const created = controller.reconcile([]).create;
    controller.apply(deployment(1));
    // Act
    const changes = controller.reconcile(created);
    // Assess
    expect(names(created)).toEqual(['web-0', 'web-1', 'web-2']);
    expect(names(changes.remove)).toEqual(['web-1', 'web-2']);
    expect(changes.create).toEqual([]);
  });

  it('replaces a pod that disappeared', () => {
    // Prepare
    const controller = new WorkloadController();
    controller.apply(deployment(2));
    const [first] = controller.reconcile([]).create;
    // Act
    const changes = controller.reconcile(first ? [first] : []);
    // Assess
    expect(names(changes.create)).toEqual(['web-1']);
  });

  it('keeps parallelism Job pods running until completions have succeeded', () => {
    // Prepare
    const controller = new WorkloadController();
    controller.apply(job(3, 2));
    const firstWave = controller.reconcile([]).create;
    const finished = firstWave.map((pod) => ({ ...pod, status: { phase: 'Succeeded' } }));
    for (const pod of finished) controller.podSucceeded(pod);
    // Act
    const secondWave = controller.reconcile(finished).create;
    for (const pod of secondWave) controller.podSucceeded(pod);
    // Assess
    expect(names(firstWave)).toEqual(['batch-0', 'batch-1']);
    expect(names(secondWave)).toEqual(['batch-2']);
    expect(controller.hasUnfinishedJobs()).toBe(false);
  });

  it('removes every pod of a deleted workload', () => {
    // Prepare
    const controller = new WorkloadController();
    controller.apply(deployment(2));
    const pods = controller.reconcile([]).create;
    // Act
    const existed = controller.delete({ kind: 'Deployment', namespace: 'default', name: 'web' });
    const changes = controller.reconcile(pods);
    // Assess
    expect(existed).toBe(true);
    expect(names(changes.remove)).toEqual(['web-0', 'web-1']);
  });

  it('reads how long Job pods run from the annotation, with a default', () => {
    // Prepare
    const annotated = job(1, 1, { 'simulate.skyscale.dev/pod-duration': '90s' });
    // Act
    const durations = [podDuration(annotated), podDuration(job(1, 1)), podDuration(deployment(1))];
    // Assess
    expect(durations).toEqual([90_000, 600_000, undefined]);
  });
});
