import {
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { kubeConfigYaml } from '../env/index.ts';

const NODECLAIMS = { group: 'karpenter.sh', version: 'v1', plural: 'nodeclaims' };
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const TableSchema = z.object({
  kind: z.literal('Table'),
  columnDefinitions: z.array(z.object({ name: z.string(), priority: z.number().optional() })),
  rows: z.array(
    z.object({
      cells: z.array(z.unknown()),
      object: z.object({ metadata: z.object({ name: z.string() }) }),
    }),
  ),
});

describe('NodeClaim printer columns in the Table output', () => {
  let customObjects: CustomObjectsApi;

  async function createNodeClaimWithDrifted(
    name: string,
    drifted: 'True' | 'False',
  ): Promise<void> {
    await customObjects.createClusterCustomObject({
      ...NODECLAIMS,
      body: {
        apiVersion: 'karpenter.sh/v1',
        kind: 'NodeClaim',
        metadata: { name, labels: { 'karpenter.sh/nodepool': 'table-pool' } },
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'table-class' },
          requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }],
        },
      },
    });
    await customObjects.patchClusterCustomObjectStatus(
      {
        ...NODECLAIMS,
        name,
        body: {
          status: {
            providerID: `aws:///us-east-1a/i-${name}`,
            conditions: [
              {
                type: 'Drifted',
                status: drifted,
                reason: drifted === 'True' ? 'NodePoolDrifted' : 'NotDrifted',
                message: '',
                lastTransitionTime: '2026-01-01T00:00:00Z',
              },
            ],
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }

  beforeAll(() => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeConfigYaml());
    customObjects = kubeConfig.makeApiClient(CustomObjectsApi);
  });

  it('shows the wide columns, with Drifted taken from the Drifted condition', async () => {
    // Prepare
    await createNodeClaimWithDrifted('table-drifted', 'True');
    await createNodeClaimWithDrifted('table-current', 'False');

    // Act
    const response: unknown = await customObjects.listClusterCustomObject(
      NODECLAIMS,
      setHeaderOptions('Accept', TABLE_ACCEPT),
    );

    // Assess
    const table = TableSchema.parse(response);
    const wide = table.columnDefinitions
      .filter(({ priority }) => (priority ?? 0) > 0)
      .map(({ name }) => name);
    expect(wide).toEqual(['ImageID', 'ID', 'NodePool', 'NodeClass', 'Drifted']);
    const columns = table.columnDefinitions.map(({ name }) => name);
    const cellsOf = (name: string): Record<string, unknown> => {
      const row = table.rows.find(({ object }) => object.metadata.name === name);
      return Object.fromEntries(columns.map((column, index) => [column, row?.cells[index]]));
    };
    expect(cellsOf('table-drifted')).toMatchObject({
      Drifted: 'True',
      ID: 'aws:///us-east-1a/i-table-drifted',
      NodePool: 'table-pool',
      NodeClass: 'table-class',
    });
    expect(cellsOf('table-current')).toMatchObject({ Drifted: 'False', NodePool: 'table-pool' });
  });
});
