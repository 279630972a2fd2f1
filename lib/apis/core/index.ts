export {
  LABEL_KEY_MAX_LENGTH,
  LABEL_VALUE_MAX_LENGTH,
  LabelKeySchema,
  LabelValueSchema,
} from './label.ts';
export {
  type NodeSelectorOperator,
  nodeSelectorOperatorRules,
  NodeSelectorOperators,
  type NodeSelectorRequirement,
  NodeSelectorRequirementSchema,
  nodeSelectorRequirementShape,
  type NodeSelectorTerm,
  NodeSelectorTermSchema,
  type RequirementOperator,
  RequirementOperators,
} from './node-selector.ts';
export {
  type Taint,
  type TaintEffect,
  TaintEffects,
  TaintSchema,
  type Toleration,
  type TolerationOperator,
  TolerationOperators,
  TolerationSchema,
} from './taint.ts';
export {
  type ObjectMeta,
  ObjectMetaSchema,
  type OwnerReference,
  OwnerReferenceSchema,
} from './object-meta.ts';
export {
  type LabelSelector,
  type LabelSelectorRequirement,
  LabelSelectorRequirementSchema,
  LabelSelectorSchema,
} from './label-selector.ts';
export {
  type Affinity,
  AffinitySchema,
  type Container,
  type ContainerPort,
  ContainerPortSchema,
  ContainerSchema,
  NodeAffinitySchema,
  type Pod,
  PodAffinitySchema,
  type PodAffinityTerm,
  PodAffinityTermSchema,
  PodConditionSchema,
  PodSchema,
  type PodSpec,
  PodSpecSchema,
  type PreferredSchedulingTerm,
  PreferredSchedulingTermSchema,
  ResourceRequirementsSchema,
  type TopologySpreadConstraint,
  TopologySpreadConstraintSchema,
  type Volume,
  VolumeSchema,
  type WeightedPodAffinityTerm,
  WeightedPodAffinityTermSchema,
} from './pod.ts';
export { type Node, NodeSchema } from './node.ts';
export { type DaemonSet, DaemonSetSchema } from './daemonset.ts';
export {
  type Deployment,
  DeploymentSchema,
  desiredPodCount,
  expandWorkload,
  isWorkloadKind,
  type Job,
  JobSchema,
  type PodTemplateSpec,
  PodTemplateSpecSchema,
  type ReplicaSet,
  ReplicaSetSchema,
  type StatefulSet,
  StatefulSetSchema,
  type Workload,
  type WorkloadKind,
  WorkloadSchemas,
} from './workloads.ts';
export {
  IntOrPercentSchema,
  type PodDisruptionBudget,
  PodDisruptionBudgetSchema,
} from './pod-disruption-budget.ts';
export { type VolumeAttachment, VolumeAttachmentSchema } from './volume-attachment.ts';
export {
  type PersistentVolume,
  type PersistentVolumeClaim,
  PersistentVolumeClaimSchema,
  PersistentVolumeSchema,
  type StorageClass,
  StorageClassSchema,
} from './storage.ts';
