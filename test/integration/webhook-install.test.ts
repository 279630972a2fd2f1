import {
  AuthorizationV1Api,
  KubeConfig,
  KubernetesObjectApi,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { main } from '../../lib/cli/main.ts';
import { createTestNamespace, kubeConfigPath, kubeConfigYaml } from '../env/index.ts';

const GROUP = 'skyscale-install-test';
const SECRET = 'Zq3x9Lw2Pp7Tt5Rr1Mm8Nn4Kk6Jj0Hh2Gg';

interface Access {
  readonly verb: string;
  readonly resource: string;
  readonly group?: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** `skyscale install` applied to the real apiserver; the group's access checked by SubjectAccessReviews. */
describe('skyscale install against the real kube-apiserver', () => {
  let objects: KubernetesObject[];
  let client: KubernetesObjectApi;
  let authorization: AuthorizationV1Api;
  let leaseNamespace: string;

  async function allowed(access: Access): Promise<boolean> {
    const review = await authorization.createSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: 'arn:aws:sts::111122223333:assumed-role/provisioner/session',
          groups: [GROUP],
          resourceAttributes: { ...access, group: access.group ?? '' },
        },
      },
    });
    return review.status?.allowed ?? false;
  }

  beforeAll(async () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeConfigYaml());
    client = KubernetesObjectApi.makeApiClient(kubeConfig);
    authorization = kubeConfig.makeApiClient(AuthorizationV1Api);
    leaseNamespace = await createTestNamespace('install');
    let out = '';
    const code = await main(
      [
        'install',
        '--kubeconfig',
        kubeConfigPath(),
        '--cluster-name',
        'install-test',
        '--webhook-url',
        'https://abc.lambda-url.us-east-1.on.aws/',
        '--secret',
        SECRET,
        '--group',
        GROUP,
        '--lease-namespace',
        leaseNamespace,
      ],
      { out: (text) => (out += text), err: () => undefined },
    );
    expect(code).toBe(0);
    objects = parseAllDocuments(out).map((document) => document.toJS() as KubernetesObject);
  });

  it('renders objects the apiserver accepts', async () => {
    // Act: the CRDs are installed already and a live webhook would call out on every other test's pod
    const accepted = await Promise.all(
      objects
        .filter(({ kind }) => kind !== 'CustomResourceDefinition')
        .map((object) => client.create(object, undefined, 'All').then(({ kind }) => kind)),
    );

    // Assess
    expect(accepted).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'Role',
      'RoleBinding',
      'MutatingWebhookConfiguration',
    ]);
  });

  describe('once the RBAC is applied', () => {
    beforeAll(async () => {
      for (const object of objects.filter(({ kind }) => kind?.includes('Role')))
        await client.create(object);
    });

    it.each<Access>([
      { verb: 'list', resource: 'pods' },
      { verb: 'list', resource: 'nodes' },
      { verb: 'create', resource: 'events', namespace: 'shop' },
      { verb: 'list', resource: 'daemonsets', group: 'apps' },
      { verb: 'list', resource: 'poddisruptionbudgets', group: 'policy' },
      { verb: 'create', resource: 'nodeclaims', group: 'karpenter.sh' },
      { verb: 'patch', resource: 'nodeclaims', group: 'karpenter.sh', subresource: 'status' },
      { verb: 'list', resource: 'nodepools', group: 'karpenter.sh' },
      { verb: 'list', resource: 'ec2nodeclasses', group: 'karpenter.k8s.aws' },
      { verb: 'delete', resource: 'nodeclaims', group: 'karpenter.sh' },
      { verb: 'create', resource: 'pods', subresource: 'eviction', namespace: 'shop' },
      { verb: 'delete', resource: 'pods', namespace: 'shop' },
      { verb: 'patch', resource: 'nodes' },
      { verb: 'delete', resource: 'nodes' },
      { verb: 'patch', resource: 'nodepools', group: 'karpenter.sh' },
      { verb: 'patch', resource: 'nodepools', group: 'karpenter.sh', subresource: 'status' },
      { verb: 'list', resource: 'volumeattachments', group: 'storage.k8s.io' },
    ])('lets the group $verb $group/$resource/$subresource', async (access) => {
      // Act / Assess
      expect(await allowed(access)).toBe(true);
    });

    it('lets the group hold its own Lease in its namespace only, and no other Lease there', async () => {
      // Prepare
      const lease = { resource: 'leases', group: 'coordination.k8s.io', namespace: leaseNamespace };

      // Act
      const own = await allowed({ ...lease, verb: 'patch', name: 'skyscale-install-test' });
      const create = await allowed({ ...lease, verb: 'create' });
      const elsewhere = await allowed({
        ...lease,
        verb: 'patch',
        name: 'skyscale-install-test',
        namespace: 'default',
      });
      const schedulers = await allowed({ ...lease, verb: 'patch', name: 'kube-scheduler' });
      const unnamed = await allowed({ ...lease, verb: 'get' });

      // Assess
      expect({ own, create, elsewhere, schedulers, unnamed }).toEqual({
        own: true,
        create: true,
        elsewhere: false,
        schedulers: false,
        unnamed: false,
      });
    });

    it.each<Access>([
      { verb: 'create', resource: 'pods', namespace: 'shop' },
      { verb: 'get', resource: 'secrets', namespace: 'shop' },
      { verb: 'create', resource: 'nodes' },
      { verb: 'update', resource: 'nodeclaims', group: 'karpenter.sh' },
      { verb: 'delete', resource: 'nodepools', group: 'karpenter.sh' },
      { verb: 'delete', resource: 'volumeattachments', group: 'storage.k8s.io' },
      { verb: 'patch', resource: 'ec2nodeclasses', group: 'karpenter.k8s.aws' },
      { verb: 'watch', resource: 'pods' },
    ])('refuses the group $verb $group/$resource', async (access) => {
      // Act / Assess
      expect(await allowed(access)).toBe(false);
    });
  });
});
