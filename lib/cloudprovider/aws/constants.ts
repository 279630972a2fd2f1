import { Labels } from '../../apis/labels.ts';

/** On every instance launched for a NodePool; the IAM policy lets only those be terminated. */
export const NODEPOOL_TAG = Labels.nodePool;

/** The NodeClaim an instance was launched for; the IAM policy lets it be added after the launch. */
export const NODECLAIM_TAG = 'karpenter.sh/nodeclaim';
