import { describe, expect, it } from 'vitest';

import { parseQuantity } from '../../../lib/apis/quantity.ts';
import { buildMimeMultipart } from '../../../lib/cloudprovider/aws/user-data/mime-multipart.ts';
import {
  userDataFor,
  type BootstrapOptions,
} from '../../../lib/cloudprovider/aws/user-data/index.ts';
import { registeredNode } from '../../env/node-registrar.ts';
import { kubeletRegistrationOf } from '../../env/nodeadm.ts';

const bootstrap: BootstrapOptions = {
  cluster: {
    name: 'test',
    endpoint: 'https://example.eks.amazonaws.com',
    certificateAuthority: 'Q0E=',
    serviceCidr: '172.20.0.0/16',
  },
  labels: {
    'karpenter.sh/nodepool': 'web',
    'topology.kubernetes.io/zone': 'us-east-1b',
    team: 'checkout',
  },
  taints: [
    { key: 'dedicated', value: 'web', effect: 'NoSchedule' },
    { key: 'karpenter.sh/unregistered', effect: 'NoExecute' },
  ],
  maxPods: 29,
  kubelet: { systemReserved: { memory: '200Mi' } },
};

describe('kubeletRegistrationOf (nodeadm reading AL2023 user data)', () => {
  it('reads the labels, taints and kubelet configuration Skyscale wrote', () => {
    // Prepare
    const userData = userDataFor('AL2023', { ...bootstrap, customUserData: '#!/bin/bash\ntrue' });

    // Act
    const registration = kubeletRegistrationOf(userData);

    // Assess: the zone label is the kubelet's to set, so it is not in --node-labels
    expect(registration.labels).toEqual({ 'karpenter.sh/nodepool': 'web', team: 'checkout' });
    expect(registration.taints).toEqual([
      { key: 'dedicated', value: 'web', effect: 'NoSchedule' },
      { key: 'karpenter.sh/unregistered', effect: 'NoExecute' },
    ]);
    expect(registration.config).toEqual({ maxPods: 29, systemReserved: { memory: '200Mi' } });
  });

  it('lets a later NodeConfig part win, as nodeadm merges them', () => {
    // Prepare: the user's NodeConfig comes first, Skyscale's generated one last
    const custom = [
      'apiVersion: node.eks.aws/v1alpha1',
      'kind: NodeConfig',
      'spec:',
      '  kubelet:',
      '    config: { maxPods: 5, podsPerCore: 2 }',
      '    flags: ["--node-labels=custom=yes"]',
    ].join('\n');
    const userData = userDataFor('AL2023', { ...bootstrap, customUserData: custom });

    // Act
    const registration = kubeletRegistrationOf(userData);

    // Assess
    expect(registration.config).toEqual({
      maxPods: 29,
      podsPerCore: 2,
      systemReserved: { memory: '200Mi' },
    });
    expect(registration.labels).not.toHaveProperty('custom');
  });

  const withFlag = (flag: string): string =>
    buildMimeMultipart([
      {
        contentType: 'application/node.eks.aws',
        body: `apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  kubelet:\n    flags: ["${flag}"]`,
      },
    ]);

  it.each([
    ['a shell script', '#!/bin/bash\necho hi', /no nodeadm NodeConfig/],
    [
      'a multipart document without a NodeConfig',
      buildMimeMultipart([{ contentType: 'text/x-shellscript', body: 'true' }]),
      /no nodeadm NodeConfig/,
    ],
    [
      'a taint without an effect',
      withFlag('--register-with-taints=a=b'),
      /--register-with-taints item "a=b" is not key\[=value\]:Effect/,
    ],
    [
      'a label without a value',
      withFlag('--node-labels=a'),
      /--node-labels item "a" is not key=value/,
    ],
  ])('refuses %s', (_, userData, message) => {
    expect(() => kubeletRegistrationOf(userData)).toThrow(message);
  });
});

describe('registeredNode', () => {
  const instance = {
    InstanceId: 'i-0123456789abcdef0',
    InstanceType: 'm5.large',
    Architecture: 'x86_64' as const,
    Placement: { AvailabilityZone: 'us-east-1b' },
  };

  it('is the Node nodeadm registers: providerID, labels, taints, resources and the KWOK annotation', () => {
    // Prepare
    const registration = kubeletRegistrationOf(userDataFor('AL2023', bootstrap));

    // Act
    const node = registeredNode(instance, registration, 'us-east-1');

    // Assess
    expect(node.metadata?.name).toBe('i-0123456789abcdef0.ec2.internal');
    expect(node.spec?.providerID).toBe('aws:///us-east-1b/i-0123456789abcdef0');
    expect(node.metadata?.annotations).toEqual({ 'kwok.x-k8s.io/node': 'fake' });
    expect(node.metadata?.labels).toEqual({
      'kubernetes.io/hostname': 'i-0123456789abcdef0.ec2.internal',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'node.kubernetes.io/instance-type': 'm5.large',
      'topology.kubernetes.io/zone': 'us-east-1b',
      'topology.kubernetes.io/region': 'us-east-1',
      'karpenter.sh/nodepool': 'web',
      team: 'checkout',
    });
    expect(node.spec?.taints).toEqual([
      { key: 'dedicated', value: 'web', effect: 'NoSchedule' },
      { key: 'karpenter.sh/unregistered', effect: 'NoExecute' },
    ]);
    // m5.large: 2 vCPUs, 8 GiB; max pods from the kubelet config; 200Mi more system-reserved
    expect(node.status?.capacity).toMatchObject({ cpu: '2', pods: '29' });
    expect(node.status?.allocatable).toMatchObject({ cpu: '1930m', pods: '29' });
    const memory = (quantity: string | undefined): number => parseQuantity(quantity ?? '');
    expect(
      memory(node.status?.capacity?.['memory']) - memory(node.status?.allocatable?.['memory']),
    ).toBe((255 + 11 * 29 + 100 + 200) * 2 ** 20);
  });

  it('refuses an instance type the catalog does not know', () => {
    const registration = kubeletRegistrationOf(userDataFor('AL2023', bootstrap));
    expect(() =>
      registeredNode({ ...instance, InstanceType: 'z9.huge' }, registration, 'us-east-1'),
    ).toThrow('instance type z9.huge is not in the catalog');
  });
});
