import { describe, expect, it } from 'vitest';
import {
  DeploymentSchema,
  JobSchema,
  StatefulSetSchema,
  WorkloadSchemas,
  expandWorkload,
  isWorkloadKind,
} from '../../../../lib/apis/core/workloads.ts';

const template = {
  metadata: { labels: { app: 'web' }, annotations: { team: 'a' } },
  spec: { containers: [{ name: 'web', resources: { requests: { cpu: '500m' } } }] },
};

describe('expandWorkload', () => {
  it('turns a Deployment into `replicas` pending pods named <name>-<index>', () => {
    // Prepare
    const deployment = DeploymentSchema.parse({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', uid: 'u-1' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
    });
    // Act
    const pods = expandWorkload(deployment);
    // Assess
    expect(pods.map((pod) => `${pod.metadata.namespace}/${pod.metadata.name}`)).toEqual([
      'shop/web-0',
      'shop/web-1',
      'shop/web-2',
    ]);
    expect(pods[0]?.metadata).toMatchObject({
      labels: { app: 'web' },
      annotations: { team: 'a' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u-1', controller: true },
      ],
    });
    expect(pods[0]?.spec.containers[0]?.resources?.requests).toEqual({ cpu: '500m' });
    expect(pods[0]?.spec.nodeName).toBeUndefined();
  });

  it('defaults replicas to 1 and the namespace to default, with a stand-in owner UID', () => {
    // Prepare
    const statefulSet = StatefulSetSchema.parse({
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: { selector: {}, template },
    });
    // Act
    const pods = expandWorkload(statefulSet);
    // Assess
    expect(pods).toHaveLength(1);
    expect(pods[0]?.metadata.name).toBe('db-0');
    expect(pods[0]?.metadata.namespace).toBe('default');
    expect(pods[0]?.metadata.ownerReferences?.[0]?.uid).toBe('StatefulSet/default/db');
  });

  it.each([
    [{ parallelism: 4 }, 4],
    [{ parallelism: 4, completions: 2 }, 2],
    [{ completions: 10 }, 1],
    [{ parallelism: 0 }, 0],
  ])('runs a Job with %o as %i pods', (counts, expected) => {
    // Prepare
    const job = JobSchema.parse({
      kind: 'Job',
      metadata: { name: 'batch' },
      spec: { ...counts, template },
    });
    // Act
    const pods = expandWorkload(job);
    // Assess
    expect(pods).toHaveLength(expected);
  });

  it('refers Job pods to their batch/v1 owner', () => {
    // Prepare
    const job = JobSchema.parse({ kind: 'Job', metadata: { name: 'batch' }, spec: { template } });
    // Act
    const [pod] = expandWorkload(job);
    // Assess
    expect(pod?.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        name: 'batch',
        uid: 'Job/default/batch',
        controller: true,
      },
    ]);
  });
});

describe('workload schemas', () => {
  it('reject a negative replica count with the field path', () => {
    // Act
    const result = WorkloadSchemas.ReplicaSet.safeParse({
      kind: 'ReplicaSet',
      metadata: { name: 'rs' },
      spec: { replicas: -1, selector: {}, template },
    });
    // Assess
    expect(result.error?.issues[0]?.path).toEqual(['spec', 'replicas']);
  });

  it('reject a template without containers', () => {
    // Act
    const result = DeploymentSchema.safeParse({
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: {}, template: { spec: { containers: [] } } },
    });
    // Assess
    expect(result.error?.issues[0]?.path).toEqual(['spec', 'template', 'spec', 'containers']);
  });

  it('know which kinds are workloads', () => {
    // Act / Assess
    expect(['Deployment', 'StatefulSet', 'ReplicaSet', 'Job'].every(isWorkloadKind)).toBe(true);
    expect(isWorkloadKind('DaemonSet')).toBe(false);
    expect(isWorkloadKind('toString')).toBe(false);
    expect(isWorkloadKind(undefined)).toBe(false);
  });
});
