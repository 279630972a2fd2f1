import { describe, expect, it } from 'vitest';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { CloudProviderError } from '../../../../lib/cloudprovider/errors.ts';
import {
  userDataFor,
  type BootstrapOptions,
} from '../../../../lib/cloudprovider/aws/user-data/index.ts';
import {
  buildMimeMultipart,
  parseMimeMultipart,
} from '../../../../lib/cloudprovider/aws/user-data/mime-multipart.ts';

const options: BootstrapOptions = {
  cluster: {
    name: 'prod',
    endpoint: 'https://ABC.gr7.us-east-1.eks.amazonaws.com',
    certificateAuthority: 'Q0EtREFUQQ==',
    serviceCidr: '10.100.0.0/16',
  },
  labels: {
    'karpenter.sh/nodepool': 'default',
    team: 'web',
    'node.kubernetes.io/lifecycle': 'spot',
    'kubernetes.io/arch': 'amd64',
    'topology.kubernetes.io/zone': 'us-east-1a',
  },
  taints: [
    { key: 'karpenter.sh/unregistered', effect: 'NoExecute' },
    { key: 'dedicated', value: 'web', effect: 'NoSchedule' },
  ],
  maxPods: 29,
  kubelet: { clusterDNS: ['10.100.0.10'] },
};

interface NodeConfig {
  kind: string;
  spec: {
    cluster: Record<string, string>;
    kubelet: { config: Record<string, unknown>; flags?: string[] };
  };
}

describe('AL2023 user data', () => {
  it('is a MIME document whose NodeConfig carries the cluster, max pods, labels and taints', () => {
    // Act
    const parts = parseMimeMultipart(userDataFor('AL2023', options));

    // Assess
    expect(parts.map((part) => part.contentType)).toEqual(['application/node.eks.aws']);
    const nodeConfig = parseYaml(parts[0]?.body ?? '') as NodeConfig;
    expect(nodeConfig.kind).toBe('NodeConfig');
    expect(nodeConfig.spec.cluster).toEqual({
      name: 'prod',
      apiServerEndpoint: 'https://ABC.gr7.us-east-1.eks.amazonaws.com',
      certificateAuthority: 'Q0EtREFUQQ==',
      cidr: '10.100.0.0/16',
    });
    expect(nodeConfig.spec.kubelet.config).toEqual({ clusterDNS: ['10.100.0.10'], maxPods: 29 });
    expect(nodeConfig.spec.kubelet.flags).toEqual([
      '--node-labels=karpenter.sh/nodepool=default,node.kubernetes.io/lifecycle=spot,team=web',
      '--register-with-taints=karpenter.sh/unregistered:NoExecute,dedicated=web:NoSchedule',
    ]);
  });

  it('asks nodeadm to assemble the instance stores into RAID0 when the node class says so', () => {
    // Act
    const parts = parseMimeMultipart(
      userDataFor('AL2023', { ...options, instanceStorePolicy: 'RAID0' }),
    );

    // Assess
    const nodeConfig = parseYaml(parts[0]?.body ?? '') as NodeConfig & {
      spec: { instance?: unknown };
    };
    expect(nodeConfig.spec.instance).toEqual({ localStorage: { strategy: 'RAID0' } });
    const withoutPolicy = parseMimeMultipart(userDataFor('AL2023', options))[0]?.body ?? '';
    expect((parseYaml(withoutPolicy) as { spec: object }).spec).not.toHaveProperty('instance');
  });

  it('keeps a custom shell script as a part before the generated NodeConfig', () => {
    // Prepare
    const script = '#!/bin/bash\necho "hello from the node class"';

    // Act
    const parts = parseMimeMultipart(userDataFor('AL2023', { ...options, customUserData: script }));

    // Assess
    expect(parts.map((part) => part.contentType)).toEqual([
      'text/x-shellscript; charset="us-ascii"',
      'application/node.eks.aws',
    ]);
    expect(parts[0]?.body).toBe(script);
  });

  it('keeps every part of a custom MIME document, including its own NodeConfig', () => {
    // Prepare
    const custom = buildMimeMultipart([
      {
        contentType: 'application/node.eks.aws',
        body: 'apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  instance:\n    localStorage:\n      strategy: RAID0',
      },
      { contentType: 'text/x-shellscript', body: '#!/bin/sh\ntrue' },
    ]).replaceAll('//', 'CUSTOM-BOUNDARY');

    // Act
    const parts = parseMimeMultipart(userDataFor('AL2023', { ...options, customUserData: custom }));

    // Assess
    expect(parts.map((part) => part.contentType)).toEqual([
      'application/node.eks.aws',
      'text/x-shellscript',
      'application/node.eks.aws',
    ]);
    expect(parts[0]?.body).toContain('strategy: RAID0');
  });

  it('rejects a MIME document without a boundary', () => {
    expect(() =>
      userDataFor('AL2023', {
        ...options,
        customUserData: 'MIME-Version: 1.0\nContent-Type: text/plain\n\nhi',
      }),
    ).toThrow(/userData: MIME document has no multipart Content-Type/);
  });
});

describe('Bottlerocket user data', () => {
  it('writes the kubelet and cluster settings, max pods, labels and taints as TOML', () => {
    // Act
    const settings = parseToml(userDataFor('Bottlerocket', options)) as {
      settings: { kubernetes: Record<string, unknown> };
    };

    // Assess
    expect(settings.settings.kubernetes).toEqual({
      'cluster-dns-ip': ['10.100.0.10'],
      'cluster-name': 'prod',
      'api-server': 'https://ABC.gr7.us-east-1.eks.amazonaws.com',
      'cluster-certificate': 'Q0EtREFUQQ==',
      'max-pods': 29,
      'node-labels': {
        'karpenter.sh/nodepool': 'default',
        team: 'web',
        'node.kubernetes.io/lifecycle': 'spot',
      },
      'node-taints': {
        'karpenter.sh/unregistered': [':NoExecute'],
        dedicated: ['web:NoSchedule'],
      },
    });
  });

  it('merges the custom TOML: its other settings survive, the cluster identity is overwritten', () => {
    // Prepare
    const custom = [
      '[settings.kubernetes]',
      'cluster-name = "wrong"',
      '[settings.kubernetes.node-labels]',
      'extra = "yes"',
      '[settings.kubernetes.node-taints]',
      'dedicated = ["batch:NoSchedule"]',
      '[settings.host-containers.admin]',
      'enabled = true',
    ].join('\n');

    // Act
    const document = parseToml(
      userDataFor('Bottlerocket', { ...options, customUserData: custom }),
    ) as {
      settings: { kubernetes: Record<string, Record<string, unknown>>; 'host-containers': unknown };
    };

    // Assess
    expect(document.settings.kubernetes['cluster-name']).toBe('prod');
    expect(document.settings.kubernetes['node-labels']?.extra).toBe('yes');
    expect(document.settings.kubernetes['node-taints']?.dedicated).toEqual([
      'batch:NoSchedule',
      'web:NoSchedule',
    ]);
    expect(document.settings['host-containers']).toEqual({ admin: { enabled: true } });
  });

  it('names the line of a TOML syntax error', () => {
    // Act
    const build = (): string =>
      userDataFor('Bottlerocket', { ...options, customUserData: '[settings\nx = 1' });

    // Assess
    expect(build).toThrow(CloudProviderError);
    expect(build).toThrow(/userData: Bottlerocket user data is not valid TOML \(line 1/);
  });
});

describe('other AMI families', () => {
  it('passes Custom user data through untouched and refuses families it cannot bootstrap', () => {
    expect(userDataFor('Custom', { ...options, customUserData: '#!/bin/sh\nmine' })).toBe(
      '#!/bin/sh\nmine',
    );
    expect(() => userDataFor('Windows2022', options)).toThrow(
      /amiFamily Windows2022 is not supported/,
    );
  });
});
