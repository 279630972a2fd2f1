/**
 * EC2NodeClass → the subnets, security groups and AMIs it selects, and the status conditions
 * that say whether it can launch anything (SubnetsReady, SecurityGroupsReady, AMIsReady,
 * InstanceProfileReady → Ready).
 */
import type { Condition } from '../../apis/condition.ts';
import {
  EC2NodeClassConditionTypes as Types,
  type EC2NodeClass,
  type EC2NodeClassStatus,
} from '../../apis/ec2nodeclass.ts';
import { nodeClassAmiFamily } from '../ec2-model/ami-alias.ts';
import type { AmiFamily } from '../ec2-model/capacity.ts';
import { CloudProviderError } from '../errors.ts';
import { resolveAmis, type AmiClients, type ResolvedAmi } from './amis.ts';
import { resolveSecurityGroups, type ResolvedSecurityGroup } from './security-groups.ts';
import { resolveSubnets, type ResolvedSubnet } from './subnets.ts';
import type { Throttled } from './throttle-retry.ts';

export interface NodeClassResolution {
  readonly name: string;
  readonly amiFamily: AmiFamily;
  readonly subnets: readonly ResolvedSubnet[];
  readonly securityGroups: readonly ResolvedSecurityGroup[];
  readonly amis: readonly ResolvedAmi[];
  readonly instanceProfile?: string;
  /** Why each part failed to resolve, by condition type; empty when the class is ready. */
  readonly problems: Readonly<Partial<Record<string, string>>>;
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

export async function resolveNodeClass(
  clients: AmiClients,
  nodeClass: EC2NodeClass,
  kubernetesVersion: string,
  now: Date,
  throttled: Throttled,
): Promise<NodeClassResolution> {
  const { spec } = nodeClass;
  const [subnets, securityGroups, amiResult] = await Promise.all([
    throttled('DescribeSubnets', () => resolveSubnets(clients.ec2, spec.subnetSelectorTerms)),
    throttled('DescribeSecurityGroups', () =>
      resolveSecurityGroups(clients.ec2, spec.securityGroupSelectorTerms),
    ),
    resolveAmisOrReason(() =>
      throttled('DescribeImages', () =>
        resolveAmis(clients, spec.amiSelectorTerms, kubernetesVersion, now),
      ),
    ),
  ]);
  const problems: Record<string, string> = {};
  if (subnets.length === 0) {
    problems[Types.subnetsReady] =
      `no subnet matches spec.subnetSelectorTerms ${describeTerms(spec.subnetSelectorTerms)}`;
  }
  if (securityGroups.length === 0) {
    problems[Types.securityGroupsReady] =
      `no security group matches spec.securityGroupSelectorTerms ${describeTerms(spec.securityGroupSelectorTerms)}`;
  }
  if (amiResult.problem || amiResult.amis.length === 0) {
    problems[Types.amisReady] =
      amiResult.problem ??
      `no AMI matches spec.amiSelectorTerms ${describeTerms(spec.amiSelectorTerms)}`;
  }
  // With `role`, the node role's instance profile has the role's name (the Skyscale stack creates it).
  const instanceProfile = spec.instanceProfile ?? spec.role;
  if (!instanceProfile)
    problems[Types.instanceProfileReady] = 'neither spec.role nor spec.instanceProfile is set';
  return {
    name: nodeClass.metadata.name ?? '',
    amiFamily: nodeClassAmiFamily(nodeClass),
    subnets,
    securityGroups,
    amis: amiResult.amis,
    ...(instanceProfile ? { instanceProfile } : {}),
    problems,
  };
}

/** Why the class cannot launch, or undefined when it is ready. */
export function notReadyReason(resolution: NodeClassResolution): string | undefined {
  const reasons = Object.values(resolution.problems);
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

const PART_CONDITIONS = [
  [Types.subnetsReady, 'SubnetsNotFound'],
  [Types.securityGroupsReady, 'SecurityGroupsNotFound'],
  [Types.amisReady, 'AMINotFound'],
  [Types.instanceProfileReady, 'InstanceProfileNotFound'],
] as const;

function condition(
  previous: readonly Condition[] | undefined,
  type: string,
  problem: string | undefined,
  failureReason: string,
  now: Date,
): Condition {
  const status = problem ? 'False' : 'True';
  const before = previous?.find((existing) => existing.type === type);
  return {
    type,
    status,
    reason: problem ? failureReason : type,
    ...(problem ? { message: problem } : {}),
    lastTransitionTime: before?.status === status ? before.lastTransitionTime : now.toISOString(),
  };
}

/** The status to write back to the EC2NodeClass; unchanged conditions keep their transition time. */
export function nodeClassStatus(
  resolution: NodeClassResolution,
  previous: EC2NodeClassStatus | undefined,
  now: Date,
): EC2NodeClassStatus {
  const parts = PART_CONDITIONS.map(([type, reason]) =>
    condition(previous?.conditions, type, resolution.problems[type], reason, now),
  );
  const failing = parts.filter((part) => part.status === 'False').map((part) => part.type);
  const ready = condition(
    previous?.conditions,
    Types.ready,
    failing.length > 0
      ? `${failing.join(', ')} not ready: ${notReadyReason(resolution)}`
      : undefined,
    'NotReady',
    now,
  );
  return {
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
    conditions: [...parts, ready],
  };
}
