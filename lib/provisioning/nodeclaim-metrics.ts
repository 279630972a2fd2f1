import type { NodeClaim } from '../apis/index.ts';
import { Labels } from '../apis/labels.ts';
import {
  KarpenterMetrics,
  labelValue,
  MetricDimension,
  noMetrics,
  type MetricsRecorder,
} from '../metrics/index.ts';

const labelsOf = (claim: NodeClaim) => claim.metadata.labels ?? {};

/** Karpenter's count of disrupted NodeClaims: one for `claim`, by its NodePool and the reason. */
export function recordNodeClaimDisrupted(
  metrics: MetricsRecorder | undefined,
  claim: NodeClaim,
  reason: string,
): void {
  (metrics ?? noMetrics).record(KarpenterMetrics.nodeClaimsDisrupted, 1, {
    [MetricDimension.nodePool]: labelsOf(claim)[Labels.nodePool] ?? '',
    [MetricDimension.reason]: labelValue(reason),
  });
}

/** Karpenter's count of terminated NodeClaims: one for `claim`, by its NodePool and capacity type. */
export function recordNodeClaimTerminated(
  metrics: MetricsRecorder | undefined,
  claim: NodeClaim,
): void {
  (metrics ?? noMetrics).record(KarpenterMetrics.nodeClaimsTerminated, 1, {
    [MetricDimension.nodePool]: labelsOf(claim)[Labels.nodePool] ?? '',
    [MetricDimension.capacityType]: labelsOf(claim)[Labels.capacityType] ?? '',
  });
}
