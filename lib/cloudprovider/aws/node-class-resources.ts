/**
 * What the AWS adapter creates for an EC2NodeClass beyond its instances: the managed instance
 * profile (for `role`) and the launch templates; made on the tick, removed on the class's deletion.
 */
import {
  DeleteLaunchTemplateCommand,
  paginateDescribeLaunchTemplates,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { EC2NodeClass } from '../../apis/ec2nodeclass.ts';
import type { NodeClassProblem } from '../node-class-status.ts';
import { isLaunchTemplateNotFoundCode, awsErrorCode } from './ec2-errors.ts';
import {
  deleteInstanceProfile,
  ensureInstanceProfile,
  instanceProfileName,
  RoleNotFoundError,
} from './instance-profiles.ts';
import { clusterOwnershipTag, NODECLASS_TAG } from './tags.ts';
import type { Throttled } from './throttle-retry.ts';

export interface NodeClassResourceContext {
  readonly ec2: EC2Client;
  readonly iam: IAMClient;
  readonly clusterName: string;
  readonly region: string;
  readonly throttled: Throttled;
}

export type InstanceProfileOutcome =
  { readonly name: string } | { readonly problem: NodeClassProblem };

/**
 * The instance profile instances of the class launch with: `spec.instanceProfile` as given, or
 * the one managed for `spec.role` (created and given the role here).
 */
export async function instanceProfileFor(
  context: NodeClassResourceContext,
  nodeClass: EC2NodeClass,
): Promise<InstanceProfileOutcome> {
  const { instanceProfile, role, tags } = nodeClass.spec;
  if (instanceProfile) return { name: instanceProfile };
  if (!role) {
    return {
      problem: {
        reason: 'InstanceProfileNotFound',
        message: 'neither spec.role nor spec.instanceProfile is set',
      },
    };
  }
  try {
    const name = await context.throttled('CreateInstanceProfile', () =>
      ensureInstanceProfile(context.iam, {
        clusterName: context.clusterName,
        region: context.region,
        nodeClassName: nodeClass.metadata.name ?? '',
        role,
        ...(tags && { tags }),
      }),
    );
    return { name };
  } catch (error) {
    if (!(error instanceof RoleNotFoundError)) throw error;
    return { problem: { reason: 'RoleNotFound', message: `spec.role: ${error.message}` } };
  }
}

/** Deletes the cluster's launch templates made for the class; returns their names. */
async function deleteLaunchTemplates(
  context: NodeClassResourceContext,
  nodeClassName: string,
): Promise<string[]> {
  const filters = [
    { Name: `tag:${clusterOwnershipTag(context.clusterName)}`, Values: ['owned'] },
    { Name: `tag:${NODECLASS_TAG}`, Values: [nodeClassName] },
  ];
  const names: string[] = [];
  for await (const page of paginateDescribeLaunchTemplates(
    { client: context.ec2 },
    { Filters: filters },
  )) {
    for (const template of page.LaunchTemplates ?? [])
      if (template.LaunchTemplateName) names.push(template.LaunchTemplateName);
  }
  for (const name of names) {
    try {
      await context.throttled('DeleteLaunchTemplate', () =>
        context.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: name })),
      );
    } catch (error) {
      if (!isLaunchTemplateNotFoundCode(awsErrorCode(error))) throw error;
    }
  }
  return names;
}

/**
 * Removes the class's launch templates and, for `role`, its managed instance profile. Returns
 * the launch templates' names, so cached references to them can be dropped.
 */
export async function deleteNodeClassResources(
  context: NodeClassResourceContext,
  nodeClass: EC2NodeClass,
): Promise<string[]> {
  const name = nodeClass.metadata.name ?? '';
  const deleted = await deleteLaunchTemplates(context, name);
  if (nodeClass.spec.role) {
    await context.throttled('DeleteInstanceProfile', () =>
      deleteInstanceProfile(
        context.iam,
        instanceProfileName(context.clusterName, context.region, name),
      ),
    );
  }
  return deleted;
}
