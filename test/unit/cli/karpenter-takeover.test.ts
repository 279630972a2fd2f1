import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../lib/cli/command.ts';
import {
  findRunningKarpenter,
  makeRoomForSkyscale,
  parseInstallArguments,
} from '../../../lib/cli/install/index.ts';
import { ResourceTypes } from '../../../lib/kube/index.ts';
import { MemoryCluster } from '../../../lib/kube/memory/index.ts';
import { createKarpenterController } from '../../fixtures/karpenter-controller.ts';
import { ManualClock } from '../../fixtures/manual-clock.ts';

const NOW = new Date('2026-06-01T12:00:00Z');

function cluster(): MemoryCluster {
  return new MemoryCluster({ clock: new ManualClock(NOW.getTime()) });
}

function capture() {
  const err: string[] = [];
  return { err, io: { out: () => undefined, err: (text: string) => void err.push(text) } };
}

describe('finding a running Karpenter', () => {
  it('sees its Deployment with replicas and its Lease while held', async () => {
    // Prepare
    const transport = cluster();
    await createKarpenterController(transport, {
      namespace: 'kube-system',
      replicas: 2,
      lease: { renewTime: new Date(NOW.getTime() - 5000), leaseDurationSeconds: 15 },
    });
    // Act
    const sightings = await findRunningKarpenter(transport, NOW);
    // Assess
    expect(sightings.map(({ kind, namespace, name }) => `${kind} ${namespace}/${name}`)).toEqual([
      'Deployment kube-system/karpenter',
      'Lease kube-system/karpenter-leader-election',
    ]);
  });

  it('sees nothing once the Deployment is at zero and the Lease expired or released', async () => {
    // Prepare
    const transport = cluster();
    await createKarpenterController(transport, {
      namespace: 'karpenter',
      replicas: 0,
      lease: { renewTime: new Date(NOW.getTime() - 16_000), leaseDurationSeconds: 15 },
    });
    // Act
    const sightings = await findRunningKarpenter(transport, NOW);
    // Assess
    expect(sightings).toEqual([]);
  });

  it('ignores Deployments that are not Karpenter', async () => {
    // Prepare
    const transport = cluster();
    await transport.create(ResourceTypes.deployment, {
      metadata: { name: 'karpenter-docs', namespace: 'web' },
      spec: { replicas: 1, template: { spec: { containers: [{ image: 'nginx:1.27' }] } } },
    });
    // Act
    const sightings = await findRunningKarpenter(transport, NOW);
    // Assess
    expect(sightings).toEqual([]);
  });
});

describe('making room for Skyscale', () => {
  it('refuses while Karpenter runs, and says how to stop it', async () => {
    // Prepare
    const transport = cluster();
    await createKarpenterController(transport, { namespace: 'kube-system', replicas: 1 });
    const { err, io } = capture();
    // Act
    const free = await makeRoomForSkyscale(
      transport,
      io,
      { takeOver: false, waitMs: 0 },
      () => NOW,
    );
    // Assess
    expect(free).toBe(false);
    expect(err.join('\n')).toContain(
      'kubectl scale deployment --namespace kube-system karpenter --replicas 0',
    );
    const deployment = await transport.get(ResourceTypes.deployment, {
      namespace: 'kube-system',
      name: 'karpenter',
    });
    expect(deployment['spec']).toMatchObject({ replicas: 1 });
  });

  it('scales Karpenter to zero when told to take over, and gives up if it does not stop', async () => {
    // Prepare: no controller acts on the in-memory cluster, so its pods never go
    const transport = cluster();
    await createKarpenterController(transport, { namespace: 'kube-system', replicas: 1 });
    await transport.patch(
      ResourceTypes.deployment,
      { namespace: 'kube-system', name: 'karpenter' },
      { status: { replicas: 1 } },
      'status',
    );
    const { err, io } = capture();
    // Act
    const free = await makeRoomForSkyscale(
      transport,
      io,
      { takeOver: true, waitMs: 30, pollMs: 10 },
      () => NOW,
    );
    // Assess
    expect(free).toBe(false);
    const deployment = await transport.get(ResourceTypes.deployment, {
      namespace: 'kube-system',
      name: 'karpenter',
    });
    expect(deployment['spec']).toMatchObject({ replicas: 0 });
    expect(err.at(-1)).toMatch(/^skyscale install: Karpenter is still running after 0.03s:/);
  });

  it('lets install through when nothing runs', async () => {
    // Prepare
    const { err, io } = capture();
    // Act
    const free = await makeRoomForSkyscale(
      cluster(),
      io,
      { takeOver: false, waitMs: 0 },
      () => NOW,
    );
    // Assess
    expect({ free, err }).toEqual({ free: true, err: [] });
  });

  it('refuses --offline together with a cluster to check', () => {
    const required = [
      '--cluster-name',
      'c',
      '--webhook-url',
      'https://x.example/',
      '--secret',
      'Zq3x9Lw2Pp7Tt5Rr1Mm8Nn4Kk6Jj0Hh2Gg',
    ];
    expect(() =>
      parseInstallArguments([...required, '--offline', '--take-over-from-karpenter']),
    ).toThrow(UsageError);
    expect(parseInstallArguments([...required, '--offline']).kubeConfigPath).toBeUndefined();
  });
});
