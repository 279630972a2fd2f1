import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { NODECLAIM_TAG, NODEPOOL_TAG } from '../../lib/cloudprovider/aws/constants.ts';
import { instanceProfilePermissions } from './instance-profile-permissions.ts';

/** A statement and, when its resources hold wildcards, why they cannot be narrower. */
export interface ControllerPermission {
  readonly statement: PolicyStatement;
  readonly wildcardReason?: string;
}

export interface ControllerPermissionsProps {
  readonly clusterName: string;
  /** The role the nodes run as (passed to EC2 through the instance profile). */
  readonly nodeRoleArn: string;
}

/** EC2 resource types created by CreateFleet/RunInstances/CreateLaunchTemplate, all tagged at creation. */
const CREATED_RESOURCE_TYPES = [
  'fleet',
  'instance',
  'volume',
  'network-interface',
  'launch-template',
  'spot-instances-request',
];

/** Read-only calls of the AWS adapter; EC2 Describe* and Pricing support no resource-level scoping. */
const READ_ONLY_ACTIONS = [
  'ec2:DescribeCapacityReservations',
  'ec2:DescribeImages',
  'ec2:DescribeInstances',
  'ec2:DescribeInstanceTypeOfferings',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeLaunchTemplates',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSpotPriceHistory',
  'ec2:DescribeSubnets',
  'pricing:GetProducts',
];

/**
 * What the controller may do in AWS, least privilege: it creates instances, volumes, fleets and
 * launch templates only when they carry the cluster's ownership tag, may tag only while creating
 * (save an instance's NodeClaim tag, on the cluster's NodePool instances), launches only from its own launch templates, terminates only instances carrying both the
 * cluster tag and a NodePool tag, deletes only its own launch templates (when their node class
 * goes) and manages only its own instance profiles.
 */
export function controllerPermissions(
  stack: Stack,
  props: ControllerPermissionsProps,
): ControllerPermission[] {
  const clusterTag = `kubernetes.io/cluster/${props.clusterName}`;
  const ec2Arn = (resource: string, account?: string) =>
    stack.formatArn({
      service: 'ec2',
      resource,
      resourceName: '*',
      ...(account === '' && { account }),
    });
  const ownedOnRequest = { StringEquals: { [`aws:RequestTag/${clusterTag}`]: 'owned' } };
  const ownedResource = { StringEquals: { [`aws:ResourceTag/${clusterTag}`]: 'owned' } };
  // The cluster tag is also on managed node groups' and other tools' instances: only those
  // launched for a NodePool carry this one too.
  const launchedForNodePool = {
    ...ownedResource,
    StringLike: { [`aws:ResourceTag/${NODEPOOL_TAG}`]: '*' },
  };
  const created = CREATED_RESOURCE_TYPES.map((type) => ec2Arn(type));
  return [
    {
      statement: new PolicyStatement({
        sid: 'ReadOnly',
        actions: READ_ONLY_ACTIONS,
        resources: ['*'],
      }),
      wildcardReason:
        'EC2 Describe* and pricing:GetProducts support no resource-level permissions.',
    },
    {
      statement: new PolicyStatement({
        sid: 'CreateOnlyWithClusterTag',
        actions: ['ec2:CreateFleet', 'ec2:RunInstances', 'ec2:CreateLaunchTemplate'],
        resources: created,
        conditions: ownedOnRequest,
      }),
      wildcardReason:
        'Resources that do not exist yet have no ID; the aws:RequestTag condition requires the cluster ownership tag on each.',
    },
    {
      statement: new PolicyStatement({
        sid: 'TagOnlyWhileCreatingWithClusterTag',
        actions: ['ec2:CreateTags'],
        resources: created,
        conditions: {
          StringEquals: {
            [`aws:RequestTag/${clusterTag}`]: 'owned',
            'ec2:CreateAction': ['CreateFleet', 'RunInstances', 'CreateLaunchTemplate'],
          },
        },
      }),
      wildcardReason:
        'Tagging is allowed only inside the creating call (ec2:CreateAction) and only with the cluster ownership tag.',
    },
    {
      statement: new PolicyStatement({
        sid: 'TagNodePoolInstancesWithTheirNodeClaim',
        actions: ['ec2:CreateTags'],
        resources: [ec2Arn('instance')],
        conditions: {
          ...launchedForNodePool,
          'ForAllValues:StringEquals': { 'aws:TagKeys': [NODECLAIM_TAG] },
        },
      }),
      wildcardReason:
        'Instances launched by one CreateFleet call for several NodeClaims are tagged with their own NodeClaim afterwards; only that tag, and only on instances of the cluster launched for a NodePool.',
    },
    {
      statement: new PolicyStatement({
        sid: 'LaunchFromClusterLaunchTemplates',
        actions: ['ec2:CreateFleet', 'ec2:RunInstances'],
        resources: [ec2Arn('launch-template')],
        conditions: ownedResource,
      }),
      wildcardReason:
        'Launch templates are created per node configuration; the aws:ResourceTag condition limits launches to the cluster’s own.',
    },
    {
      statement: new PolicyStatement({
        sid: 'LaunchIntoSelectedNetworkAndImages',
        actions: ['ec2:CreateFleet', 'ec2:RunInstances'],
        resources: [
          ec2Arn('subnet'),
          ec2Arn('security-group'),
          ec2Arn('image', ''),
          ec2Arn('snapshot', ''),
        ],
      }),
      wildcardReason:
        'Subnets, security groups and AMIs are chosen at run time by the EC2NodeClass selectors and carry no request tags; the statement only lets launches use them.',
    },
    {
      statement: new PolicyStatement({
        sid: 'DeleteOnlyClusterLaunchTemplates',
        actions: ['ec2:DeleteLaunchTemplate'],
        resources: [ec2Arn('launch-template')],
        conditions: ownedResource,
      }),
      wildcardReason:
        'Launch template IDs are not known in advance; the aws:ResourceTag condition limits deletion to the cluster’s own.',
    },
    ...instanceProfilePermissions(stack, props.clusterName),
    {
      statement: new PolicyStatement({
        sid: 'TerminateOnlyNodePoolInstances',
        actions: ['ec2:TerminateInstances'],
        resources: [ec2Arn('instance')],
        conditions: launchedForNodePool,
      }),
      wildcardReason:
        'Instance IDs are not known in advance; the aws:ResourceTag conditions limit termination to instances of the cluster launched for a NodePool.',
    },
    {
      statement: new PolicyStatement({
        sid: 'ReadEksAmiParameters',
        actions: ['ssm:GetParameter'],
        resources: ['eks', 'bottlerocket'].map((family) =>
          stack.formatArn({
            service: 'ssm',
            account: '',
            resource: 'parameter',
            resourceName: `aws/service/${family}/*`,
          }),
        ),
      }),
      wildcardReason:
        'AMI aliases resolve through AWS’s public parameters for every Kubernetes version, architecture and variant under these two paths.',
    },
    {
      statement: new PolicyStatement({
        sid: 'DescribeCluster',
        actions: ['eks:DescribeCluster'],
        resources: [
          stack.formatArn({
            service: 'eks',
            resource: 'cluster',
            resourceName: props.clusterName,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ],
      }),
    },
    {
      statement: new PolicyStatement({
        sid: 'PassNodeRole',
        actions: ['iam:PassRole'],
        resources: [props.nodeRoleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      }),
    },
  ];
}
