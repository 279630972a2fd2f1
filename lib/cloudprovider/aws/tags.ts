import { Labels } from '../../apis/labels.ts';
import { NODECLAIM_TAG, NODEPOOL_TAG } from './constants.ts';

export { NODECLAIM_TAG, NODEPOOL_TAG };
export const NODECLASS_TAG = Labels.ec2NodeClass;
export const EKS_CLUSTER_NAME_TAG = 'eks:eks-cluster-name';

export function clusterOwnershipTag(clusterName: string): string {
  return `kubernetes.io/cluster/${clusterName}`;
}

/** Tags every resource Skyscale creates for the cluster carries, so it can find (and collect) them. */
export function clusterTags(clusterName: string): Record<string, string> {
  return { [clusterOwnershipTag(clusterName)]: 'owned', [EKS_CLUSTER_NAME_TAG]: clusterName };
}

export interface InstanceTagSubject {
  readonly clusterName: string;
  readonly nodePool: string;
  readonly nodeClaim: string;
  readonly nodeClass: string;
  /** The EC2NodeClass's own `tags`; its schema forbids the keys set here. */
  readonly nodeClassTags?: Readonly<Record<string, string>>;
}

export function instanceTags(subject: InstanceTagSubject): Record<string, string> {
  return {
    ...subject.nodeClassTags,
    [NODEPOOL_TAG]: subject.nodePool,
    [NODECLAIM_TAG]: subject.nodeClaim,
    [NODECLASS_TAG]: subject.nodeClass,
    ...clusterTags(subject.clusterName),
  };
}
