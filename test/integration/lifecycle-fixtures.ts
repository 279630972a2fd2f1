/**
 * A provisioning world whose instances become real Nodes: the node registrar registers each
 * launched instance, KWOK runs it, kube-controller-manager keeps the workloads, and the tests
 * drive Skyscale's per-object runs (lifecycle, then termination, over one read of the cluster) as
 * the tick does between its minutes.
 */
import { DescribeInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import { Labels, type Node, type NodeClaim } from '../../lib/apis/index.ts';
import type { LifecycleDeps } from '../../lib/lifecycle/index.ts';
import { runObjectPass, type ObjectPass } from '../../lib/tick/index.ts';
import type { RunLogger } from '../../lib/provisioning/index.ts';
import type { Clock } from '../../lib/util/index.ts';
import {
  awsClientConfig,
  kubeConfigPath,
  startNodeRegistrar,
  type NodeRegistrar,
} from '../env/index.ts';
import { createProvisioningWorld, type ProvisioningWorld } from './provisioning-fixtures.ts';

export interface LifecycleWorldOptions {
  readonly pool: string;
  readonly logger: RunLogger;
  /** Time from launch to the Node's registration; no Node ever registers when undefined. */
  readonly bootDelayMs?: number;
  readonly terminationGracePeriod?: string;
}

export interface LifecycleWorld extends ProvisioningWorld {
  readonly pool: string;
  /** Undefined when the world's nodes never register. */
  readonly registrar: NodeRegistrar | undefined;
  lifecycleDeps(overrides?: Partial<LifecycleDeps>): LifecycleDeps;
  /** The tick's per-object pass: the lifecycle run, then the termination run. */
  pass(options?: { registrationTtlMs?: number }): Promise<ObjectPass>;
  claims(): Promise<NodeClaim[]>;
  nodeOf(claim: NodeClaim): Promise<Node | undefined>;
  /** The pool's instances in moto, by state. */
  instances(states?: readonly string[]): Promise<Instance[]>;
  stop(): Promise<void>;
}

export async function createLifecycleWorld(
  options: LifecycleWorldOptions,
): Promise<LifecycleWorld> {
  const { pool, logger } = options;
  const world = await createProvisioningWorld({
    kubeConfigPath: kubeConfigPath(),
    aws: awsClientConfig(),
    pool,
    logger,
    ...(options.terminationGracePeriod !== undefined && {
      terminationGracePeriod: options.terminationGracePeriod,
    }),
  });
  const registrar =
    options.bootDelayMs === undefined
      ? undefined
      : startNodeRegistrar({ clusterName: pool, delayMs: options.bootDelayMs });
  const lifecycleDeps = (overrides: Partial<LifecycleDeps> = {}): LifecycleDeps => {
    const { kube, cloud, clock, logger: runLogger } = world.deps('lifecycle');
    return { kube: kube.kube, cloud, clock, logger: runLogger, ...overrides };
  };
  return {
    ...world,
    pool,
    registrar,
    lifecycleDeps,
    pass: ({ registrationTtlMs } = {}) =>
      runObjectPass(world.deps('object-pass'), { registrationTtlMs }),
    async claims() {
      return (await world.kube.kube.listNodeClaims()).items.filter(
        ({ metadata }) => metadata.labels?.[Labels.nodePool] === pool,
      );
    },
    async nodeOf(claim) {
      const providerID = claim.status?.providerID;
      return (await world.kube.kube.listNodes()).items.find(
        (node) => providerID !== undefined && node.spec?.providerID === providerID,
      );
    },
    async instances(states = ['pending', 'running']) {
      const described = await world.ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: `tag:${Labels.nodePool}`, Values: [pool] },
            { Name: 'instance-state-name', Values: [...states] },
          ],
        }),
      );
      return (described.Reservations ?? []).flatMap(({ Instances }) => Instances ?? []);
    },
    async stop() {
      await registrar?.stop();
    },
  };
}

/** A clock `aheadMs` ahead of the system's, for waits (such as GC's 30 s) a test should not sit out. */
export function clockAhead(clock: Clock, aheadMs: number): Clock {
  return { ...clock, now: () => clock.now() + aheadMs };
}
