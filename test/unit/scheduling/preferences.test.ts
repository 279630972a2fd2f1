import { describe, expect, it } from 'vitest';
import type { Pod, PodSpec } from '../../../lib/apis/index.ts';
import { Labels } from '../../../lib/apis/labels.ts';
import { nodePool, pod, run } from './fixtures.ts';

const zoneIn = (
  zone: string,
): { matchExpressions: { key: string; operator: 'In'; values: string[] }[] } => ({
  matchExpressions: [{ key: Labels.zone, operator: 'In', values: [zone] }],
});

function preferring(
  name: string,
  affinity: PodSpec['affinity'],
  labels: Record<string, string> = {},
): Pod {
  return pod(name, { cpu: '100m' }, { affinity }, labels);
}

describe('preferences', () => {
  it('treats preferred node affinity as required while it can be met', () => {
    const result = run({
      pendingPods: [
        preferring('a', {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 1, preference: zoneIn('zone-c') },
            ],
          },
        }),
      ],
    });
    expect(result.newNodeClaims[0]?.zones).toEqual(['zone-c']);
  });

  it('tries the heaviest preferred node affinity first, then lighter ones', () => {
    const affinity = {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 1, preference: zoneIn('zone-b') },
          { weight: 50, preference: zoneIn('zone-nowhere') },
        ],
      },
    };
    const result = run({ pendingPods: [preferring('a', affinity)] });
    expect(result.newNodeClaims[0]?.zones).toEqual(['zone-b']);
  });

  it('relaxes preferred anti-affinity that cannot be met, keeping the one that can', () => {
    // Prepare: Karpenter's preference benchmark pod in miniature.
    const selector = { matchLabels: { app: 'nginx' } };
    const affinity = {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 10, podAffinityTerm: { labelSelector: selector, topologyKey: Labels.zone } },
          { weight: 1, podAffinityTerm: { labelSelector: selector, topologyKey: Labels.hostname } },
        ],
      },
    };
    const pods = Array.from({ length: 5 }, (_, index) =>
      preferring(`p${index}`, affinity, { app: 'nginx' }),
    );
    // Act
    const respected = run({ pendingPods: pods });
    const ignored = run({ pendingPods: pods, preferencePolicy: 'Ignore' });
    // Assess: respected, each pod gets its own node; ignored, they share one.
    expect(respected.newNodeClaims).toHaveLength(5);
    expect(respected.unschedulable).toEqual([]);
    expect(ignored.newNodeClaims).toHaveLength(1);
  });

  it('honours preferred pod affinity when possible', () => {
    // Prepare: the client cannot share the cache's node (same host port), so only the preference decides its zone.
    const port = [{ name: 'app', ports: [{ containerPort: 7000, hostPort: 7000 }] }];
    const term = { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: Labels.zone };
    const cache = pod(
      'cache',
      { cpu: '1' },
      { nodeSelector: { [Labels.zone]: 'zone-c' }, containers: port },
      { app: 'cache' },
    );
    const client = (affinity: PodSpec['affinity']): Pod =>
      pod('client', { cpu: '100m' }, { affinity, containers: port });
    // Act
    const preferred = run({
      pendingPods: [
        cache,
        client({
          podAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: term }],
          },
        }),
      ],
    });
    const indifferent = run({ pendingPods: [cache, client(undefined)] });
    // Assess
    expect(preferred.newNodeClaims.map(({ zones }) => zones)).toEqual([['zone-c'], ['zone-c']]);
    expect(indifferent.newNodeClaims[1]?.zones).toEqual(['zone-a', 'zone-b', 'zone-c']);
  });

  it('tolerates PreferNoSchedule taints only after everything else fails', () => {
    // Prepare: the heavier NodePool carries a PreferNoSchedule taint.
    const soft = nodePool({
      name: 'soft-tainted',
      weight: 100,
      taints: [{ key: 'spot-only', effect: 'PreferNoSchedule' }],
    });
    // Act
    const withAlternative = run({
      pendingPods: [pod('a')],
      nodePools: [soft, nodePool({ name: 'plain' })],
    });
    const withoutAlternative = run({ pendingPods: [pod('a')], nodePools: [soft] });
    // Assess
    expect(withAlternative.newNodeClaims[0]?.nodePool).toBe('plain');
    expect(withoutAlternative.newNodeClaims[0]?.nodePool).toBe('soft-tainted');
  });

  it('reports the reason left after every preference is relaxed', () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [zoneIn('zone-nowhere')],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 1, preference: zoneIn('zone-a') },
        ],
      },
    };
    const result = run({ pendingPods: [preferring('a', affinity)] });
    expect(result.unschedulable[0]?.reason).toMatch(
      /topology.kubernetes.io\/zone In \[zone-nowhere\] conflicts with/,
    );
  });
});
