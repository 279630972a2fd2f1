import { describe, expect, it } from 'vitest';
import { createKubeClient, type ResourceTransport } from '../../../lib/kube/index.ts';
import { loadLifecycleView, runTermination } from '../../../lib/lifecycle/index.ts';
import { overriding } from '../../contract/kube/harness.ts';
import { LifecycleEnvironment } from './lifecycle-environment.ts';

/** The transport of a run that dies at its `fatalWrite`-th write: that write and all later ones fail. */
function dyingAt(transport: ResourceTransport, fatalWrite: number): ResourceTransport {
  let writes = 0;
  const write =
    <A extends unknown[], R>(action: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      writes += 1;
      if (writes >= fatalWrite) throw new Error(`the run was killed at write ${writes}`);
      return action(...args);
    };
  return overriding(transport, {
    patch: write((type, key, patch, subresource) => transport.patch(type, key, patch, subresource)),
    delete: write((type, key, options) => transport.delete(type, key, options)),
    evict: write((key) => transport.evict(key)),
  });
}

async function drainingCluster(): Promise<{
  env: LifecycleEnvironment;
  claimName: string;
  nodeName: string;
}> {
  const env = new LifecycleEnvironment();
  await env.setUp();
  const { claim, node } = await env.registeredClaim();
  await env.runPod('web', node.metadata.name);
  await env.kube.kube.deleteNodeClaim(claim.metadata.name ?? '');
  return { env, claimName: claim.metadata.name ?? '', nodeName: node.metadata.name };
}

describe('a termination run killed at any write', () => {
  it.each(Array.from({ length: 8 }, (_, index) => index + 1))(
    'is completed by the passes after it (killed at write %i)',
    async (fatalWrite) => {
      // Prepare
      const { env, claimName, nodeName } = await drainingCluster();
      const dying = createKubeClient(dyingAt(env.cluster, fatalWrite), {
        logger: env.logger,
        clock: env.clock,
      });
      const deps = env.lifecycleDeps();

      // Act
      await runTermination({ ...deps, kube: dying }, await loadLifecycleView(env.kube.kube));
      for (let pass = 0; pass < 4; pass++) {
        await runTermination(deps, await loadLifecycleView(env.kube.kube));
        await env.kubeletFinishes(nodeName);
      }

      // Assess
      expect(await env.kube.kube.getNodeClaim(claimName)).toBeUndefined();
      expect(await env.node(nodeName)).toBeUndefined();
      expect(env.cloud.running()).toEqual([]);
    },
  );
});
