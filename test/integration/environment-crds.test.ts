import {
  ApiException,
  ApiextensionsV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { kubeConfigYaml } from '../env/index.ts';

const NODEPOOLS = { group: 'karpenter.sh', version: 'v1', plural: 'nodepools' };

const StatusSchema = z.object({ kind: z.literal('Status'), code: z.number(), message: z.string() });

function nodePool(name: string, spec: { weight?: number; operator?: string; values?: string[] }) {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: {
      ...(spec.weight === undefined ? {} : { weight: spec.weight }),
      template: {
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
          requirements: [
            {
              key: 'karpenter.sh/capacity-type',
              operator: spec.operator ?? 'In',
              ...(spec.values === undefined ? {} : { values: spec.values }),
            },
          ],
        },
      },
    },
  };
}

/** The apiserver's Status for a rejected request; fails the test if the request succeeded. */
async function rejection(request: Promise<unknown>): Promise<z.infer<typeof StatusSchema>> {
  const error = await request.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ApiException))
    throw new Error(`expected an ApiException, got ${String(error)}`);
  const body: unknown = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
  return StatusSchema.parse(body);
}

describe("Skyscale's CRDs in a real kube-apiserver", () => {
  let kubeConfig: KubeConfig;
  let customObjects: CustomObjectsApi;

  beforeAll(() => {
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeConfigYaml());
    customObjects = kubeConfig.makeApiClient(CustomObjectsApi);
  });

  it('installs NodePool, NodeClaim and EC2NodeClass and they are Established', async () => {
    // Act
    const { items } = await kubeConfig
      .makeApiClient(ApiextensionsV1Api)
      .listCustomResourceDefinition();

    // Assess
    const established = items
      .filter((crd) =>
        crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'),
      )
      .map((crd) => crd.metadata?.name);
    expect(established).toEqual(
      expect.arrayContaining([
        'nodepools.karpenter.sh',
        'nodeclaims.karpenter.sh',
        'ec2nodeclasses.karpenter.k8s.aws',
      ]),
    );
  });

  it('accepts a valid NodePool and applies the schema defaults', async () => {
    // Act
    const created = await customObjects.createClusterCustomObject({
      ...NODEPOOLS,
      body: nodePool('crds-valid', { weight: 100, values: ['spot'] }),
    });

    // Assess
    expect(created.spec.weight).toBe(100);
    expect(created.spec.disruption).toEqual({
      consolidationPolicy: 'WhenEmptyOrUnderutilized',
      consolidateAfter: '0s',
      budgets: [{ nodes: '10%' }],
    });
    expect(created.spec.template.spec.expireAfter).toBe('720h');
  });

  it.each([
    {
      invalid: 'weight 101',
      spec: { weight: 101, values: ['spot'] },
      expected:
        'spec.weight: Invalid value: 101: spec.weight in body should be less than or equal to 100',
    },
    {
      invalid: 'an unknown operator',
      spec: { operator: 'Approximately', values: ['spot'] },
      expected: 'spec.template.spec.requirements[0].operator: Unsupported value: "Approximately"',
    },
    {
      invalid: 'operator In without values (a CEL rule)',
      spec: {},
      expected:
        'spec.template.spec.requirements[0].values: Invalid value: "object": operator In needs at least one value',
    },
  ])(
    'rejects a NodePool with $invalid through the CRD schema',
    async ({ invalid, spec, expected }) => {
      // Prepare
      const name = `crds-${invalid.replace(/[^a-z0-9]+/g, '-').replace(/-$/, '')}`;

      // Act
      const status = await rejection(
        customObjects.createClusterCustomObject({ ...NODEPOOLS, body: nodePool(name, spec) }),
      );

      // Assess
      expect(status.code).toBe(422);
      expect(status.message).toContain(expected);
    },
  );
});
