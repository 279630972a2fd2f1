import { beforeEach, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../lib/kube/index.ts';
import {
  collectGarbage,
  LEAKED_INSTANCE_GRACE_MS,
  type LifecycleDeps,
} from '../../../lib/lifecycle/index.ts';
import { runProvisioning } from '../../../lib/provisioning/index.ts';
import { LifecycleEnvironment, NODE_POOL } from './lifecycle-environment.ts';

describe('garbage collection', () => {
  let env: LifecycleEnvironment;
  beforeEach(async () => {
    env = new LifecycleEnvironment();
    await env.setUp();
  });

  /** An instance whose NodeClaim was removed behind Skyscale's back (finalizer and all). */
  async function leakedInstance() {
    const claim = await env.launchClaim();
    const name = claim.metadata.name ?? '';
    await env.kube.kube.deleteNodeClaim(name);
    await env.kube.kube.updateNodeClaim(name, (current) => ({
      ...current,
      metadata: { ...current.metadata, finalizers: [] },
    }));
    return env.instanceOf(claim);
  }

  it('terminates an instance with no NodeClaim once it is older than 30 s, not before', async () => {
    // Prepare
    const instance = await leakedInstance();
    await env.clock.advance(LEAKED_INSTANCE_GRACE_MS - 1_000);

    // Act
    const young = await collectGarbage(env.lifecycleDeps());
    await env.clock.advance(1_000);
    const old = await collectGarbage(env.lifecycleDeps());

    // Assess
    expect(young.instancesTerminated).toEqual([]);
    expect(old.instancesTerminated).toEqual([instance.id]);
    expect(instance.terminatedAt).toBeDefined();
  });

  it('deletes a registered NodeClaim whose instance is gone, and keeps one still launching', async () => {
    // Prepare
    const { claim } = await env.registeredClaim();
    const launching = await env.launchClaim();
    env.cloud.terminate(env.instanceOf(claim));

    // Act
    const result = await collectGarbage(env.lifecycleDeps());

    // Assess
    expect(result.nodeClaimsDeleted).toEqual([claim.metadata.name]);
    expect((await env.claim(launching.metadata.name ?? '')).metadata.deletionTimestamp).toBe(
      undefined,
    );
  });

  it('never terminates the instance of an existing NodeClaim, however old', async () => {
    // Prepare
    const claim = await env.launchClaim();
    await env.clock.advance(3_600_000);

    // Act
    const result = await collectGarbage(env.lifecycleDeps());

    // Assess
    expect(result.instancesTerminated).toEqual([]);
    expect(env.instanceOf(claim).terminatedAt).toBeUndefined();
  });

  it('spares an instance a concurrent provisioning run launches while it lists', async () => {
    // Prepare
    await env.createPendingPod('web');
    const real = env.kube.kube;
    let provisioned = false;
    const racing: KubeClient = {
      ...real,
      async listNodeClaims() {
        const listed = await real.listNodeClaims();
        if (!provisioned) {
          provisioned = true;
          await runProvisioning(env.deps());
          await env.clock.advance(LEAKED_INSTANCE_GRACE_MS + 1_000);
        }
        return listed;
      },
    };
    const deps: LifecycleDeps = { ...env.lifecycleDeps(), kube: racing };

    // Act
    const result = await collectGarbage(deps);

    // Assess
    const [claim] = (await real.listNodeClaims()).items;
    expect(claim?.metadata.labels?.['karpenter.sh/nodepool']).toBe(NODE_POOL);
    expect(result.instancesTerminated).toEqual([]);
    expect(env.cloud.running()).toHaveLength(1);
  });
});
