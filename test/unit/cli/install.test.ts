import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { main } from '../../../lib/cli/main.ts';
import { systemClock } from '../../../lib/util/clock.ts';
import { CachedSecret, handleWebhook, type WebhookDeps } from '../../../lib/webhook/index.ts';
import { functionUrlEvent, podCreateReview } from '../../fixtures/lambda-events.ts';
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

/** The parts of a webhook that decide which requests the apiserver sends it. */
interface Webhook {
  clientConfig: { url: string };
  failurePolicy: string;
  timeoutSeconds: number;
  rules: { apiGroups: string[]; operations: string[]; resources: string[] }[];
  namespaceSelector?: {
    matchExpressions?: { key: string; operator: 'In' | 'NotIn'; values: string[] }[];
  };
}

interface AdmissionRequest {
  operation: string;
  /** A core-group resource. */
  resource: string;
  namespace: string;
}

/** Whether the apiserver sends `request` to `webhook`, by its rules and namespace selector. */
function callsWebhook(webhook: Webhook, request: AdmissionRequest): boolean {
  const matchesRule = webhook.rules.some(
    (rule) =>
      rule.apiGroups.includes('') &&
      (rule.operations.includes(request.operation) || rule.operations.includes('*')) &&
      (rule.resources.includes(request.resource) || rule.resources.includes('*')),
  );
  const namespaceLabels: Record<string, string> = {
    'kubernetes.io/metadata.name': request.namespace,
  };
  const inNamespaces = (webhook.namespaceSelector?.matchExpressions ?? []).every(
    ({ key, operator, values }) =>
      values.includes(namespaceLabels[key] ?? '') === (operator === 'In'),
  );
  return matchesRule && inNamespaces;
}

/** The pod-pending handler's dependencies, reading `secret` from the secret store. */
function handlerDeps(secret: string): WebhookDeps {
  return {
    clusterName: 'prod-1',
    secret: new CachedSecret(() => Promise.resolve(secret), 60_000),
    sendSignal: () => Promise.resolve(),
    clock: systemClock,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    count: () => undefined,
  };
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

  it('sends Pod CREATEs to a URL the webhook handler accepts with the installed secret only', async () => {
    // Prepare
    const [webhook] = find<{ webhooks: Webhook[] }>(
      await install(),
      'MutatingWebhookConfiguration',
    ).webhooks;
    const url = new globalThis.URL(webhook?.clientConfig.url ?? '');
    const call = functionUrlEvent({
      rawPath: url.pathname,
      body: JSON.stringify(podCreateReview()),
    });

    // Act
    const withTheSecret = await handleWebhook(call, handlerDeps(SECRET));
    const withAnother = await handleWebhook(call, handlerDeps(`${SECRET}-rotated`));

    // Assess
    expect(`${url.origin}/`).toBe(URL);
    expect(withTheSecret.statusCode).toBe(200);
    expect(JSON.parse(withTheSecret.body)).toMatchObject({ response: { allowed: true } });
    expect(withAnother.statusCode).toBe(401);
  });

  it('is called for Pod CREATEs outside kube-system only, and lets the pod through when it fails', async () => {
    // Act
    const [webhook] = find<{ webhooks: Webhook[] }>(
      await install(),
      'MutatingWebhookConfiguration',
    ).webhooks;

    // Assess
    const called = (request: AdmissionRequest): boolean =>
      webhook !== undefined && callsWebhook(webhook, request);
    expect(called({ operation: 'CREATE', resource: 'pods', namespace: 'default' })).toBe(true);
    expect(called({ operation: 'CREATE', resource: 'pods', namespace: 'kube-system' })).toBe(false);
    expect(called({ operation: 'UPDATE', resource: 'pods', namespace: 'default' })).toBe(false);
    expect(called({ operation: 'CREATE', resource: 'deployments', namespace: 'default' })).toBe(
      false,
    );
    expect(webhook?.failurePolicy).toBe('Ignore');
    expect(webhook?.timeoutSeconds).toBeLessThanOrEqual(5);
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
