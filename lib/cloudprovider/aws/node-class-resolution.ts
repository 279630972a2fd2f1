/**
 * EC2NodeClass → the subnets, security groups, AMIs and capacity reservations it selects, and
 * why any of them cannot be used; read from the cloud, or from the status the tick wrote.
 */
import { EC2NodeClassConditionTypes as Types, type EC2NodeClass } from '../../apis/ec2nodeclass.ts';
import { nodeClassAmiFamily } from '../ec2-model/ami-alias.ts';
import type { AmiFamily } from '../ec2-model/capacity.ts';
import { CloudProviderError } from '../errors.ts';
import type {
  NodeClassPartCondition,
  NodeClassProblem,
  NodeClassReconciliation,
} from '../node-class-status.ts';
import { resolveAmis, type AmiClients, type ResolvedAmi } from './amis.ts';
import {
  resolveCapacityReservations,
  type ResolvedCapacityReservation,
} from './capacity-reservations.ts';
import { resolveSecurityGroups, type ResolvedSecurityGroup } from './security-groups.ts';
import { resolveSubnets, type ResolvedSubnet } from './subnets.ts';
import type { Throttled } from './throttle-retry.ts';

export type NodeClassProblems = Readonly<Partial<Record<NodeClassPartCondition, NodeClassProblem>>>;

export interface NodeClassResolution {
  readonly name: string;
  readonly amiFamily: AmiFamily;
  readonly subnets: readonly ResolvedSubnet[];
  readonly securityGroups: readonly ResolvedSecurityGroup[];
  readonly amis: readonly ResolvedAmi[];
  readonly instanceProfile?: string;
  readonly capacityReservations: readonly ResolvedCapacityReservation[];
  /** Why each part failed to resolve, by condition type; empty when the class is ready. */
  readonly problems: NodeClassProblems;
}

function describeTerms(terms: readonly object[]): string {
  return JSON.stringify(terms);
}

async function resolveAmisOrReason(
  resolve: () => Promise<ResolvedAmi[]>,
): Promise<{ amis: ResolvedAmi[]; problem?: string }> {
  try {
    return { amis: await resolve() };
  } catch (error) {
    if (error instanceof CloudProviderError) return { amis: [], problem: error.message };
    throw error;
  }
}

/** Everything but the instance profile, which needs IAM (see the provider). */
export type CloudResolution = Omit<NodeClassResolution, 'instanceProfile'>;

export async function resolveNodeClass(
  clients: AmiClients,
  nodeClass: EC2NodeClass,
  kubernetesVersion: string,
  now: Date,
  throttled: Throttled,
): Promise<CloudResolution> {
  const { spec } = nodeClass;
  const [subnets, securityGroups, amiResult, capacityReservations] = await Promise.all([
    throttled('DescribeSubnets', () => resolveSubnets(clients.ec2, spec.subnetSelectorTerms)),
    throttled('DescribeSecurityGroups', () =>
      resolveSecurityGroups(clients.ec2, spec.securityGroupSelectorTerms),
    ),
    resolveAmisOrReason(() =>
      throttled('DescribeImages', () =>
        resolveAmis(clients, spec.amiSelectorTerms, kubernetesVersion, now),
      ),
    ),
    throttled('DescribeCapacityReservations', () =>
      resolveCapacityReservations(clients.ec2, spec.capacityReservationSelectorTerms ?? []),
    ),
  ]);
  const problems: Partial<Record<NodeClassPartCondition, NodeClassProblem>> = {};
  if (subnets.length === 0) {
    problems[Types.subnetsReady] = {
      reason: 'SubnetsNotFound',
      message: `no subnet matches spec.subnetSelectorTerms ${describeTerms(spec.subnetSelectorTerms)}`,
    };
  }
  if (securityGroups.length === 0) {
    problems[Types.securityGroupsReady] = {
      reason: 'SecurityGroupsNotFound',
      message: `no security group matches spec.securityGroupSelectorTerms ${describeTerms(spec.securityGroupSelectorTerms)}`,
    };
  }
  if (amiResult.problem || amiResult.amis.length === 0) {
    problems[Types.amisReady] = {
      reason: 'AMINotFound',
      message:
        amiResult.problem ??
        `no AMI matches spec.amiSelectorTerms ${describeTerms(spec.amiSelectorTerms)}`,
    };
  }
  return {
    name: nodeClass.metadata.name ?? '',
    amiFamily: nodeClassAmiFamily(nodeClass),
    subnets,
    securityGroups,
    amis: amiResult.amis,
    capacityReservations,
    problems,
  };
}

/** Why the class cannot launch, or undefined when it is ready. */
export function notReadyReason(resolution: NodeClassResolution): string | undefined {
  const reasons = Object.values(resolution.problems).map(({ message }) => message);
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

/** What the tick writes back: the status fields and the problems behind the conditions. */
export function reconciliationOf(resolution: NodeClassResolution): NodeClassReconciliation {
  return {
    resolved: {
      subnets: resolution.subnets.map(({ id, zone, zoneID }) => ({
        id,
        zone,
        ...(zoneID ? { zoneID } : {}),
      })),
      securityGroups: resolution.securityGroups.map((group) => ({ ...group })),
      amis: resolution.amis.map(({ id, name, requirements, deprecated }) => ({
        id,
        ...(name ? { name } : {}),
        requirements,
        ...(deprecated ? { deprecated } : {}),
      })),
      ...(resolution.instanceProfile ? { instanceProfile: resolution.instanceProfile } : {}),
      ...(resolution.capacityReservations.length > 0
        ? {
            capacityReservations: resolution.capacityReservations.map(
              ({ availableInstanceCount: _count, ...reservation }) => reservation,
            ),
          }
        : {}),
    },
    problems: resolution.problems,
  };
}

/**
 * The resolution a fresh, Ready status describes. Subnets keep the status's order (most free IPs
 * first when it was written), which is all a launch needs of their free-IP counts; a
 * reservation's free count is not in the status, so it counts as one until a launch finds out.
 */
export function resolutionFromStatus(nodeClass: EC2NodeClass): NodeClassResolution {
  const status = nodeClass.status ?? {};
  const subnets = status.subnets ?? [];
  return {
    name: nodeClass.metadata.name ?? '',
    amiFamily: nodeClassAmiFamily(nodeClass),
    subnets: subnets.map((subnet, index) => ({ ...subnet, availableIps: subnets.length - index })),
    securityGroups: status.securityGroups ?? [],
    amis: (status.amis ?? []).map((ami) => ({ ...ami, deprecated: ami.deprecated ?? false })),
    ...(status.instanceProfile ? { instanceProfile: status.instanceProfile } : {}),
    capacityReservations: (status.capacityReservations ?? []).map((reservation) => ({
      ...reservation,
      availableInstanceCount: 1,
    })),
    problems: {},
  };
}
