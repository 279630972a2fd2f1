import { Labels } from '../../apis/labels.ts';

/** On every instance launched for a NodePool; the IAM policy lets only those be terminated. */
export const NODEPOOL_TAG = Labels.nodePool;
