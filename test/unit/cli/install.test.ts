import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { main } from '../../../lib/cli/main.ts';
import { deployedClusterUsage, namespacedRequests } from './kube-api-usage.ts';

const URL = 'https://abcdef.lambda-url.eu-west-1.on.aws/';
const SECRET = 'Zq3x9Lw2Pp7Tt5Rr1Mm8Nn4Kk6Jj0Hh2Gg';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [key: string]: unknown;
}

/** `skyscale install` for the cluster Prod_1 (unless `args` name another) with `args`. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const cluster = args.includes('--cluster-name') ? [] : ['--cluster-name', 'Prod_1'];
  const offline = args.includes('--kubeconfig') ? [] : ['--offline'];
  const code = await main(['install', ...cluster, ...offline, ...args], {
    out: (text) => (out += text),
    err: (text) => (err += text),
  });
  return { code, out, err };
}

async function install(...extra: string[]): Promise<K8sObject[]> {
  const { code, out, err } = await run('--webhook-url', URL, '--secret', SECRET, ...extra);
  expect({ code, err }).toEqual({ code: 0, err: '' });
  return parseAllDocuments(out).map((document) => document.toJS() as K8sObject);
}

interface Rule {
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  verbs: string[];
}

/** `group/resource[/subresource]` → verbs, merged over the rules. */
function granted(rules: readonly Rule[]): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  for (const rule of rules) {
    const key = `${rule.apiGroups.join()}/${rule.resources.join()}`;
    grants[key] = [...new Set([...(grants[key] ?? []), ...rule.verbs])].sort();
  }
  return grants;
}

function find<T extends object = K8sObject>(objects: K8sObject[], kind: string): T {
  const found = objects.find((object) => object.kind === kind);
  if (!found) throw new Error(`no ${kind} in the output`);
  return found as unknown as T;
}

describe('skyscale install', () => {
  it('prints the same CRDs as skyscale crds, then RBAC and the webhook', async () => {
    // Prepare
    let crds = '';
    await main(['crds'], { out: (text) => (crds += text), err: () => undefined });

    // Act
    const objects = await install();

    // Assess
    expect(objects.slice(0, 3)).toEqual(parseAllDocuments(crds).map((document) => document.toJS()));
    expect(objects.slice(3).map(({ kind }) => kind)).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'Role',
      'RoleBinding',
      'MutatingWebhookConfiguration',
    ]);
  });

  it('points a never-blocking Pod CREATE webhook at the Function URL with the secret in the path', async () => {
    // Act
    const [webhook] = find<{ webhooks: unknown[] }>(
      await install(),
      'MutatingWebhookConfiguration',
    ).webhooks;

    // Assess
    expect(webhook).toEqual({
      name: 'pod-pending.skyscale.dev',
      admissionReviewVersions: ['v1'],
      clientConfig: { url: `https://abcdef.lambda-url.eu-west-1.on.aws/${SECRET}/pods` },
      failurePolicy: 'Ignore',
      sideEffects: 'NoneOnDryRun',
      timeoutSeconds: 5,
      reinvocationPolicy: 'Never',
      matchPolicy: 'Equivalent',
      rules: [
        {
          apiGroups: [''],
          apiVersions: ['v1'],
          operations: ['CREATE'],
          resources: ['pods'],
          scope: 'Namespaced',
        },
      ],
      namespaceSelector: {
        matchExpressions: [
          { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] },
        ],
      },
    });
  });

  it('grants cluster-wide exactly the requests the deployed functions make through the KubeClient adapter', async () => {
    // Prepare
    const used = await deployedClusterUsage();

    // Act
    const clusterRole = find<{ rules: Rule[] }>(await install(), 'ClusterRole');

    // Assess
    expect(Object.keys(used).length).toBeGreaterThan(0);
    expect(clusterRole.rules.every((rule) => rule.resourceNames === undefined)).toBe(true);
    expect(granted(clusterRole.rules)).toEqual(used);
  });

  it('grants on Leases and ConfigMaps exactly what the lock and the offerings do, all but create only by name', async () => {
    // Prepare
    const used = await namespacedRequests();

    // Act
    const role = find<{ rules: Rule[] }>(await install(), 'Role');

    // Assess
    expect(Object.keys(used).length).toBeGreaterThan(0);
    expect(granted(role.rules)).toEqual(used);
    const owned: Record<string, string> = {
      leases: 'skyscale-prod-1',
      configmaps: 'skyscale-prod-1-unavailable-offerings',
    };
    for (const rule of role.rules)
      expect(rule.resourceNames).toEqual(
        rule.verbs.includes('create') ? undefined : [owned[rule.resources[0] ?? '']],
      );
  });

  it('grants the Lease only in its namespace and binds both roles to the given group', async () => {
    // Act
    const objects = await install('--group', 'autoscalers', '--lease-namespace', 'skyscale-system');

    // Assess
    expect(find(objects, 'Role')).toMatchObject({
      metadata: { name: 'skyscale', namespace: 'skyscale-system' },
      rules: [
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          resourceNames: ['skyscale-prod-1'],
          verbs: ['get', 'patch'],
        },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: ['skyscale-prod-1-unavailable-offerings'],
          verbs: ['get', 'patch'],
        },
      ],
    });
    const group = [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'autoscalers' }];
    expect(find(objects, 'ClusterRoleBinding')).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'skyscale' },
      subjects: group,
    });
    expect(find(objects, 'RoleBinding')).toMatchObject({
      metadata: { namespace: 'skyscale-system' },
      roleRef: { kind: 'Role', name: 'skyscale' },
      subjects: group,
    });
  });

  it('binds to the skyscale group in kube-system by default', async () => {
    // Act
    const binding = find<K8sObject & { subjects: unknown[] }>(await install(), 'RoleBinding');

    // Assess
    expect(binding.metadata.namespace).toBe('kube-system');
    expect(binding.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'skyscale' },
    ]);
  });

  it('reads the secret from a file, trimming the newline', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'install-')), 'secret');
    writeFileSync(file, `${SECRET}\n`);

    // Act
    const { code, out } = await run('--webhook-url', URL, '--secret-file', file);

    // Assess
    expect(code).toBe(0);
    expect(out).toContain(`url: https://abcdef.lambda-url.eu-west-1.on.aws/${SECRET}/pods`);
  });

  it.each([
    [['--secret', SECRET], /--webhook-url is required/],
    [
      ['--webhook-url', URL, '--secret', SECRET, '--cluster-name', ''],
      /--cluster-name must not be empty/,
    ],
    [
      ['--webhook-url', 'http://abc.example.com', '--secret', SECRET],
      /--webhook-url must be an https:\/\/ URL/,
    ],
    [
      ['--webhook-url', `${URL}?token=x`, '--secret', SECRET],
      /--webhook-url must carry no query string, fragment or user info/,
    ],
    [['--webhook-url', URL], /--secret or --secret-file is required/],
    [
      ['--webhook-url', URL, '--secret', 'short'],
      /--secret must be 32 to 256 letters, digits, "-" or "_"/,
    ],
    [
      ['--webhook-url', URL, '--secret', SECRET, '--secret-file', '-'],
      /give --secret or --secret-file, not both/,
    ],
    [
      ['--webhook-url', URL, '--secret', SECRET, '--lease-namespace', 'Kube_System'],
      /--lease-namespace must be a namespace name/,
    ],
    [['--webhook-url', URL, '--secret', SECRET, '--verbose'], /Unknown option '--verbose'/],
  ])('rejects %j', async (args, message) => {
    // Act
    const { code, out, err } = await run(...args);

    // Assess
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(message);
  });
});
