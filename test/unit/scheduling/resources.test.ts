import { describe, expect, it } from 'vitest';
import { podRequests } from '../../../lib/scheduling/resources.ts';
import type { PodSpec } from '../../../lib/apis/index.ts';

const Mi = 2 ** 20;

describe('podRequests', () => {
  it('sums containers, uses limits when a request is missing, and counts one pod', () => {
    // Prepare
    const spec: PodSpec = {
      containers: [
        { name: 'a', resources: { requests: { cpu: '250m', memory: '64Mi' } } },
        { name: 'b', resources: { limits: { cpu: '1', 'nvidia.com/gpu': '1' } } },
      ],
    };
    // Act
    const requests = podRequests(spec);
    // Assess
    expect(requests).toEqual({ cpu: 1250, memory: 64 * Mi, 'nvidia.com/gpu': 1, pods: 1 });
  });

  it('takes the largest init container when it exceeds the app containers', () => {
    const spec: PodSpec = {
      containers: [{ name: 'app', resources: { requests: { cpu: '100m' } } }],
      initContainers: [
        { name: 'init-1', resources: { requests: { cpu: '2' } } },
        { name: 'init-2', resources: { requests: { cpu: '500m' } } },
      ],
    };
    expect(podRequests(spec)['cpu']).toBe(2000);
  });

  it('adds sidecars to the app containers and runs later init containers beside them', () => {
    // Prepare: a 300m sidecar, then a 1-core init container, then 100m of app.
    const spec: PodSpec = {
      containers: [{ name: 'app', resources: { requests: { cpu: '100m' } } }],
      initContainers: [
        { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '300m' } } },
        { name: 'init', resources: { requests: { cpu: '1' } } },
      ],
    };
    // Act
    const requests = podRequests(spec);
    // Assess: max(100m + 300m, 1000m + 300m)
    expect(requests['cpu']).toBe(1300);
  });

  it('adds the pod overhead', () => {
    const spec: PodSpec = {
      containers: [{ name: 'app', resources: { requests: { cpu: '1' } } }],
      overhead: { cpu: '250m', memory: '120Mi' },
    };
    expect(podRequests(spec)).toEqual({ cpu: 1250, memory: 120 * Mi, pods: 1 });
  });
});
