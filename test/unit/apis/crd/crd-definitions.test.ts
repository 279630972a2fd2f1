import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderCrdFiles, type JsonSchema } from '../../../../lib/apis/crd/index.ts';

interface Column {
  name: string;
  jsonPath: string;
  priority?: number;
}

interface Crd {
  metadata: { name: string };
  spec: {
    versions: {
      additionalPrinterColumns: Column[];
      schema: { openAPIV3Schema: JsonSchema };
      subresources: Record<string, unknown>;
    }[];
  };
}

const CRDS: Readonly<Record<string, Crd>> = Object.fromEntries(
  renderCrdFiles().map((file) => {
    const crd = parse(file.text) as Crd;
    return [crd.metadata.name, crd];
  }),
);

function version(name: string) {
  const found = CRDS[name]?.spec.versions[0];
  if (!found) throw new Error(`no CRD ${name}`);
  return found;
}

function schemaAt(name: string, path: string): JsonSchema {
  let node: JsonSchema = version(name).schema.openAPIV3Schema;
  for (const segment of path.split('.')) {
    const next: unknown =
      segment === '[]'
        ? node.items
        : (node.properties as Record<string, unknown> | undefined)?.[segment];
    if (typeof next !== 'object' || next === null)
      throw new Error(`no schema at ${path} (${segment})`);
    node = next as JsonSchema;
  }
  return node;
}

function rulesAt(name: string, path: string): string[] {
  return ((schemaAt(name, path)['x-kubernetes-validations'] ?? []) as { message: string }[]).map(
    (rule) => rule.message,
  );
}

/** Every node of a schema, with its path. */
function* walk(node: JsonSchema, path = ''): Generator<[string, JsonSchema]> {
  yield [path, node];
  for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, JsonSchema>))
    yield* walk(child, `${path}.${name}`);
  if (node.items) yield* walk(node.items as JsonSchema, `${path}[]`);
  if (typeof node.additionalProperties === 'object')
    yield* walk(node.additionalProperties as JsonSchema, `${path}{}`);
}

const NAMES = [
  'nodepools.karpenter.sh',
  'nodeclaims.karpenter.sh',
  'ec2nodeclasses.karpenter.k8s.aws',
];

describe('generated CRDs', () => {
  it.each(NAMES)('%s has a structural schema', (name) => {
    // Prepare
    const nonStructural: string[] = [];

    // Act
    for (const [path, node] of walk(version(name).schema.openAPIV3Schema)) {
      const typed = typeof node.type === 'string' || node['x-kubernetes-int-or-string'] === true;
      const forbidden = ['$schema', 'const', 'propertyNames', 'oneOf', 'allOf'].filter(
        (keyword) => keyword in node,
      );
      if (!typed) nonStructural.push(`${path}: no type`);
      if (forbidden.length > 0) nonStructural.push(`${path}: ${forbidden.join(', ')}`);
      if (node.properties && 'additionalProperties' in node)
        nonStructural.push(`${path}: properties and additionalProperties`);
    }

    // Assess
    expect(nonStructural).toEqual([]);
    expect(version(name).subresources).toEqual({ status: {} });
  });

  it.each([
    [
      'nodeclaims.karpenter.sh',
      ['Type', 'Capacity', 'Zone', 'Node', 'Ready', 'Age'],
      ['ImageID', 'ID', 'NodePool', 'NodeClass', 'Drifted'],
    ],
    [
      'nodepools.karpenter.sh',
      ['NodeClass', 'Nodes', 'Ready', 'Age'],
      ['Weight', 'CPU', 'Memory', 'NodeRegistrationHealthy'],
    ],
    ['ec2nodeclasses.karpenter.k8s.aws', ['Ready', 'Age'], []],
  ])('%s has the default and wide printer columns', (name, defaults, wide) => {
    // Prepare / Act
    const columns = version(name).additionalPrinterColumns;

    // Assess
    expect(
      columns.filter((column) => column.priority === undefined).map((column) => column.name),
    ).toEqual(defaults);
    expect(columns.filter((column) => column.priority === 1).map((column) => column.name)).toEqual(
      wide,
    );
  });

  it('reads the condition columns from status conditions', () => {
    // Prepare / Act
    const drifted = version('nodeclaims.karpenter.sh').additionalPrinterColumns.find(
      (column) => column.name === 'Drifted',
    );
    const healthy = version('nodepools.karpenter.sh').additionalPrinterColumns.find(
      (column) => column.name === 'NodeRegistrationHealthy',
    );

    // Assess
    expect(drifted?.jsonPath).toBe('.status.conditions[?(@.type=="Drifted")].status');
    expect(healthy?.jsonPath).toBe(
      '.status.conditions[?(@.type=="NodeRegistrationHealthy")].status',
    );
  });

  it('carries the defaults Karpenter applies', () => {
    // Prepare
    const pool = 'nodepools.karpenter.sh';

    // Act
    const defaults = {
      expireAfter: schemaAt(pool, 'spec.template.spec.expireAfter').default,
      consolidationPolicy: schemaAt(pool, 'spec.disruption.consolidationPolicy').default,
      consolidateAfter: schemaAt(pool, 'spec.disruption.consolidateAfter').default,
      budgets: schemaAt(pool, 'spec.disruption.budgets').default,
      disruption: schemaAt(pool, 'spec.disruption').default,
      httpTokens: schemaAt('ec2nodeclasses.karpenter.k8s.aws', 'spec.metadataOptions.httpTokens')
        .default,
      hopLimit: schemaAt(
        'ec2nodeclasses.karpenter.k8s.aws',
        'spec.metadataOptions.httpPutResponseHopLimit',
      ).default,
    };

    // Assess
    expect(defaults).toEqual({
      expireAfter: '720h',
      consolidationPolicy: 'WhenEmptyOrUnderutilized',
      consolidateAfter: '0s',
      budgets: [{ nodes: '10%' }],
      disruption: {},
      httpTokens: 'required',
      hopLimit: 1,
    });
  });

  it('lets the apiserver enforce ranges, enums and patterns', () => {
    // Prepare
    const pool = 'nodepools.karpenter.sh';

    // Act
    const weight = schemaAt(pool, 'spec.weight');
    const requirement = schemaAt(pool, 'spec.template.spec.requirements.[]');
    const requirements = schemaAt(pool, 'spec.template.spec.requirements');
    const duration = schemaAt(pool, 'spec.disruption.budgets.[].duration');

    // Assess
    expect([weight.minimum, weight.maximum]).toEqual([1, 100]);
    expect((requirement.properties as Record<string, JsonSchema>).operator?.enum).toEqual([
      'In',
      'NotIn',
      'Exists',
      'DoesNotExist',
      'Gt',
      'Lt',
      'Gte',
      'Lte',
    ]);
    expect((requirement.properties as Record<string, JsonSchema>).minValues).toMatchObject({
      minimum: 1,
      maximum: 50,
    });
    expect(requirements.maxItems).toBe(100);
    expect(duration.pattern).toEqual(expect.any(String));
  });

  it('carries the cross-field rules as CEL', () => {
    // Prepare
    const pool = 'nodepools.karpenter.sh';
    const nodeClass = 'ec2nodeclasses.karpenter.k8s.aws';

    // Act
    const rules = {
      requirement: rulesAt(pool, 'spec.template.spec.requirements.[]'),
      labels: rulesAt(pool, 'spec.template.metadata.labels'),
      budget: rulesAt(pool, 'spec.disruption.budgets.[]'),
      nodeClass: rulesAt(nodeClass, 'spec'),
      reserved: rulesAt(nodeClass, 'spec.kubelet.systemReserved'),
    };

    // Assess
    expect(rules.requirement).toEqual(
      expect.arrayContaining([
        'operators Gt, Lt, Gte and Lte take exactly one non-negative integer value',
        'label "kubernetes.io/hostname" is restricted',
        'label domain "karpenter.sh" is restricted',
      ]),
    );
    expect(rules.labels).toEqual(
      expect.arrayContaining([
        'label "karpenter.sh/nodepool" is restricted',
        'label domain "kubernetes.io" is restricted',
      ]),
    );
    expect(rules.budget).toEqual(["'schedule' must be set with 'duration'"]);
    expect(rules.nodeClass).toContain("must specify exactly one of ['role', 'instanceProfile']");
    expect(rules.reserved).toEqual(['keys must be one of cpu, memory, ephemeral-storage, pid']);
  });
});
