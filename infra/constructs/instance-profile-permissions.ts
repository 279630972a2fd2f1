import type { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';

/**
 * What managing the instance profiles of node classes that name a `role` takes: only profiles
 * under the cluster's path (`/karpenter/<region>/<cluster>/`), created only with the cluster's
 * ownership tag, and changed or deleted only when they carry it. Giving a profile its role also
 * needs iam:PassRole on that role, which the node-role statement grants.
 */
export function instanceProfilePermissions(
  stack: Stack,
  clusterName: string,
): { statement: PolicyStatement; wildcardReason: string }[] {
  const clusterTag = `kubernetes.io/cluster/${clusterName}`;
  const profiles = stack.formatArn({
    service: 'iam',
    region: '',
    resource: 'instance-profile',
    resourceName: `karpenter/${stack.region}/${clusterName}/*`,
  });
  const reason =
    'Profile names hash the node class name; the resource is limited to the cluster’s profile path and, for changes, to profiles carrying the cluster ownership tag.';
  return [
    {
      statement: new PolicyStatement({
        sid: 'ReadClusterInstanceProfiles',
        actions: ['iam:GetInstanceProfile'],
        resources: [profiles],
      }),
      wildcardReason: reason,
    },
    {
      statement: new PolicyStatement({
        sid: 'CreateInstanceProfilesWithClusterTag',
        actions: ['iam:CreateInstanceProfile', 'iam:TagInstanceProfile'],
        resources: [profiles],
        conditions: { StringEquals: { [`aws:RequestTag/${clusterTag}`]: 'owned' } },
      }),
      wildcardReason: reason,
    },
    {
      statement: new PolicyStatement({
        sid: 'ChangeOnlyClusterInstanceProfiles',
        actions: [
          'iam:AddRoleToInstanceProfile',
          'iam:RemoveRoleFromInstanceProfile',
          'iam:DeleteInstanceProfile',
        ],
        resources: [profiles],
        conditions: { StringEquals: { [`aws:ResourceTag/${clusterTag}`]: 'owned' } },
      }),
      wildcardReason: reason,
    },
  ];
}
