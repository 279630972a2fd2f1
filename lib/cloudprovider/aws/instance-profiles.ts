/**
 * The instance profile Karpenter manages for a node class that names a `role`: named
 * `<cluster>_<hash of region and class name>`, kept under a path of the region and cluster (so
 * the IAM policy can be scoped to it), tagged for the cluster, holding exactly that role.
 */
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  DeleteInstanceProfileCommand,
  GetInstanceProfileCommand,
  RemoveRoleFromInstanceProfileCommand,
  type IAMClient,
  type InstanceProfile,
} from '@aws-sdk/client-iam';
import { Labels } from '../../apis/labels.ts';
import { awsErrorCode } from './ec2-errors.ts';
import { clusterTags, NODECLASS_TAG } from './tags.ts';

const FNV_OFFSET_BASIS = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const UINT64 = (1n << 64n) - 1n;

/** 64-bit FNV-1 of the UTF-8 bytes: what Karpenter's hashstructure gives for a string. */
function fnv1Of(text: string): bigint {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of new TextEncoder().encode(text)) {
    hash = (hash * FNV_PRIME) & UINT64;
    hash ^= BigInt(byte);
  }
  return hash;
}

/** Karpenter's name for the node class's instance profile, so a class moved between the two keeps it. */
export function instanceProfileName(
  clusterName: string,
  region: string,
  nodeClassName: string,
): string {
  return `${clusterName}_${fnv1Of(`${region}${nodeClassName}`).toString()}`;
}

/** Every managed profile of the cluster lives under this path; the IAM policy allows no other. */
export function instanceProfilePath(region: string, clusterName: string): string {
  return `/karpenter/${region}/${clusterName}/`;
}

export interface ManagedInstanceProfile {
  readonly clusterName: string;
  readonly region: string;
  readonly nodeClassName: string;
  /** `spec.role`: a role name, or a path and name (`/nodes/KarpenterNodeRole`). */
  readonly role: string;
  /** The node class's `spec.tags`, under the cluster's own. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The role does not exist: nothing to put in the profile until it does. */
export class RoleNotFoundError extends Error {
  override readonly name = 'RoleNotFoundError';
}

async function getProfile(iam: IAMClient, name: string): Promise<InstanceProfile | undefined> {
  try {
    return (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name })))
      .InstanceProfile;
  } catch (error) {
    if (awsErrorCode(error) === 'NoSuchEntity') return undefined;
    throw error;
  }
}

function profileTags(profile: ManagedInstanceProfile): { Key: string; Value: string }[] {
  const tags = {
    ...profile.tags,
    ...clusterTags(profile.clusterName),
    [NODECLASS_TAG]: profile.nodeClassName,
    [Labels.region]: profile.region,
  };
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/**
 * Creates the profile if it is missing and makes `role` its one role, replacing another; returns
 * its name. Throws RoleNotFoundError when IAM has no such role.
 */
export async function ensureInstanceProfile(
  iam: IAMClient,
  profile: ManagedInstanceProfile,
): Promise<string> {
  const name = instanceProfileName(profile.clusterName, profile.region, profile.nodeClassName);
  const existing =
    (await getProfile(iam, name)) ??
    (
      await iam.send(
        new CreateInstanceProfileCommand({
          InstanceProfileName: name,
          Path: instanceProfilePath(profile.region, profile.clusterName),
          Tags: profileTags(profile),
        }),
      )
    ).InstanceProfile;
  // AddRoleToInstanceProfile takes the role's name without its path.
  const roleName = profile.role.split('/').pop() ?? profile.role;
  const roles = existing?.Roles ?? [];
  if (roles.length === 1 && roles[0]?.RoleName === roleName) return name;
  for (const { RoleName } of roles) {
    await iam.send(
      new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName }),
    );
  }
  try {
    await iam.send(
      new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: roleName }),
    );
  } catch (error) {
    if (awsErrorCode(error) === 'NoSuchEntity')
      throw new RoleNotFoundError(`IAM role "${roleName}" does not exist`, { cause: error });
    throw error;
  }
  return name;
}

/** Removes the profile's role and deletes it; a profile already gone counts as done. */
export async function deleteInstanceProfile(iam: IAMClient, name: string): Promise<void> {
  const existing = await getProfile(iam, name);
  if (!existing) return;
  for (const { RoleName } of existing.Roles ?? []) {
    await iam.send(
      new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName }),
    );
  }
  try {
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: name }));
  } catch (error) {
    if (awsErrorCode(error) !== 'NoSuchEntity') throw error;
  }
}
