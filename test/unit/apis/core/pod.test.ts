import { describe, expect, it } from 'vitest';
import {
  DaemonSetSchema,
  LabelSelectorSchema,
  NodeSchema,
  PodSchema,
} from '../../../../lib/apis/index.ts';

const validPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', managedFields: [{ manager: 'kubectl' }] },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'nginx',
        resources: { requests: { cpu: '500m' } },
        ports: [{ containerPort: 80, hostPort: 8080 }],
      },
    ],
    tolerations: [{ key: 'dedicated', operator: 'Exists' }],
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
      },
    ],
  },
};

function issuePaths(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[] }[] };
}): string[] {
  return (result.error?.issues ?? []).map(({ path }) => path.join('.'));
}

describe('PodSchema', () => {
  it('accepts a pod and keeps fields the scheduler does not read', () => {
    // Act
    const parsed = PodSchema.parse(validPod);
    // Assess
    expect(parsed.spec.containers[0]).toMatchObject({ image: 'nginx' });
    expect(parsed.metadata).toHaveProperty('managedFields');
  });

  it.each([
    [
      'a host port out of range',
      {
        ...validPod,
        spec: {
          ...validPod.spec,
          containers: [{ name: 'app', ports: [{ containerPort: 80, hostPort: 70000 }] }],
        },
      },
      'spec.containers.0.ports.0.hostPort',
    ],
    ['no containers', { ...validPod, spec: { containers: [] } }, 'spec.containers'],
    [
      'a bad quantity',
      {
        ...validPod,
        spec: { containers: [{ name: 'app', resources: { requests: { cpu: 'lots' } } }] },
      },
      'spec.containers.0.resources.requests.cpu',
    ],
    [
      'an unknown whenUnsatisfiable',
      {
        ...validPod,
        spec: {
          ...validPod.spec,
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'Sometimes' },
          ],
        },
      },
      'spec.topologySpreadConstraints.0.whenUnsatisfiable',
    ],
    ['a nameless pod', { ...validPod, metadata: { namespace: 'default' } }, 'metadata.name'],
  ])('rejects %s, naming the field', (_, input, path) => {
    // Act
    const result = PodSchema.safeParse(input);
    // Assess
    expect(result.success).toBe(false);
    expect(issuePaths(result)).toContain(path);
  });
});

describe('LabelSelectorSchema', () => {
  it('requires values for In and forbids them for Exists', () => {
    const missing = LabelSelectorSchema.safeParse({
      matchExpressions: [{ key: 'app', operator: 'In' }],
    });
    const extra = LabelSelectorSchema.safeParse({
      matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }],
    });
    expect(issuePaths(missing)).toEqual(['matchExpressions.0.values']);
    expect(issuePaths(extra)).toEqual(['matchExpressions.0.values']);
  });
});

describe('NodeSchema and DaemonSetSchema', () => {
  it('reads taints, cordoning and allocatable, and rejects a bad taint effect', () => {
    const node = {
      metadata: { name: 'n1' },
      spec: { unschedulable: true, taints: [{ key: 'a', effect: 'NoSchedule' }] },
      status: { allocatable: { cpu: '2', pods: '110' } },
    };
    expect(NodeSchema.parse(node).spec?.unschedulable).toBe(true);
    const bad = NodeSchema.safeParse({
      ...node,
      spec: { taints: [{ key: 'a', effect: 'Sometimes' }] },
    });
    expect(issuePaths(bad)).toEqual(['spec.taints.0.effect']);
  });

  it('requires a DaemonSet pod template with containers', () => {
    const result = DaemonSetSchema.safeParse({
      metadata: { name: 'ds' },
      spec: { template: { spec: {} } },
    });
    expect(issuePaths(result)).toEqual(['spec.template.spec.containers']);
  });
});
