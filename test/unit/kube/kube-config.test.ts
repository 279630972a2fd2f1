import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { kubeConfigFromFile, kubeConfigFromYaml } from '../../../lib/kube/client-node/index.ts';
import { KubeConfigError } from '../../../lib/kube/index.ts';

const kubeconfig = {
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [
    {
      name: 'test',
      cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority': 'ca.crt' },
    },
  ],
  users: [{ name: 'admin', user: { token: 'admin-token' } }],
  contexts: [{ name: 'test', context: { cluster: 'test', user: 'admin' } }],
  'current-context': 'test',
};

describe('kubeconfig files', () => {
  it('loads the current context, with file references relative to the kubeconfig', () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
    const path = join(directory, 'config');
    writeFileSync(path, stringify(kubeconfig));

    // Act
    const loaded = kubeConfigFromFile(path);

    // Assess
    expect(loaded.getCurrentCluster()).toMatchObject({
      server: 'https://127.0.0.1:6443',
      caFile: join(directory, 'ca.crt'),
    });
    expect(loaded.getCurrentUser()?.token).toBe('admin-token');
  });

  it.each([
    [
      'a server that is not a URL',
      { ...kubeconfig, clusters: [{ name: 'test', cluster: { server: 'not a url' } }] },
      'clusters[0].cluster.server',
    ],
    [
      'a current context that does not exist',
      { ...kubeconfig, 'current-context': 'prod' },
      'current-context: no context named "prod"',
    ],
    [
      'a context naming an unknown user',
      { ...kubeconfig, contexts: [{ name: 'test', context: { cluster: 'test', user: 'nobody' } }] },
      'contexts[0].context.user: no user named "nobody"',
    ],
    ['no clusters', { ...kubeconfig, clusters: [] }, 'clusters:'],
  ])('rejects %s, naming the field', (_case, document, field) => {
    // Prepare
    const text = stringify(document);

    // Act
    const load = () => kubeConfigFromYaml(text, 'my-kubeconfig');

    // Assess
    expect(load).toThrow(KubeConfigError);
    expect(load).toThrow(`my-kubeconfig: invalid kubeconfig: ${field}`);
  });

  it('reports YAML that does not parse and files that cannot be read', () => {
    // Prepare
    const missing = join(tmpdir(), 'no-such-kubeconfig');

    // Act
    const broken = () => kubeConfigFromYaml('clusters: [', 'broken.yaml');
    const unreadable = () => kubeConfigFromFile(missing);

    // Assess
    expect(broken).toThrow(/^broken\.yaml: not valid YAML/);
    expect(unreadable).toThrow(`${missing}: cannot read the kubeconfig`);
  });
});
