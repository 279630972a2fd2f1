import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/main.ts';
import { ResourceTypes } from '../../lib/kube/index.ts';
import { ClientNodeTransport, kubeConfigFromFile } from '../../lib/kube/client-node/index.ts';
import { createTestNamespace, kubeConfigPath } from '../env/index.ts';
import { createKarpenterController } from '../fixtures/karpenter-controller.ts';

const SECRET = 'Zq3x9Lw2Pp7Tt5Rr1Mm8Nn4Kk6Jj0Hh2Gg';

async function install(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(
    [
      'install',
      '--kubeconfig',
      kubeConfigPath(),
      '--cluster-name',
      'migrating',
      '--webhook-url',
      'https://abc.lambda-url.us-east-1.on.aws/',
      '--secret',
      SECRET,
      ...args,
    ],
    { out: (text) => void (out += text), err: (text) => void (err += `${text}\n`) },
  );
  return { code, out, err };
}

describe('skyscale install beside a running Karpenter, on the real kube-apiserver', () => {
  let namespace: string;
  let transport: ClientNodeTransport;

  beforeAll(async () => {
    namespace = await createTestNamespace('karpenter');
    transport = new ClientNodeTransport(kubeConfigFromFile(kubeConfigPath()));
    // The Lease was renewed just now; once the Deployment is at zero nobody renews it again.
    await createKarpenterController(transport, {
      namespace,
      replicas: 1,
      lease: { renewTime: new Date(), leaseDurationSeconds: 4 },
    });
  });

  afterAll(async () => {
    await transport.delete(ResourceTypes.deployment, { namespace, name: 'karpenter' });
  });

  it('refuses and prints nothing to apply while Karpenter runs', async () => {
    // Act
    const { code, out, err } = await install();
    // Assess
    expect({ code, out }).toEqual({ code: 1, out: '' });
    expect(err).toContain(`Deployment ${namespace}/karpenter (1 replica(s) wanted`);
    expect(err).toContain(`Lease ${namespace}/karpenter-leader-election (held by karpenter-`);
    expect(err).toContain(
      `kubectl scale deployment --namespace ${namespace} karpenter --replicas 0`,
    );
  });

  it('with --take-over-from-karpenter scales Karpenter to zero, waits for it to stop, then prints', async () => {
    // Act
    const { code, out, err } = await install('--take-over-from-karpenter');
    // Assess
    expect(err).toContain('Karpenter has stopped');
    expect(code).toBe(0);
    expect(out).toContain('kind: MutatingWebhookConfiguration');
    const deployment = await transport.get(ResourceTypes.deployment, {
      namespace,
      name: 'karpenter',
    });
    // The apiserver leaves status.replicas out once it is 0.
    expect(deployment).toMatchObject({ spec: { replicas: 0 } });
    expect((deployment['status'] as { replicas?: number }).replicas ?? 0).toBe(0);
  });
});
