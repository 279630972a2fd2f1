import { z } from 'zod';
import { DurationSchema } from './duration.ts';
import { withRules } from './validation-rule.ts';

const RESERVABLE_RESOURCES = ['cpu', 'memory', 'ephemeral-storage', 'pid'] as const;
const EVICTION_SIGNALS = [
  'memory.available',
  'nodefs.available',
  'nodefs.inodesFree',
  'imagefs.available',
  'imagefs.inodesFree',
  'pid.available',
] as const;

/** A reserved amount such as "100m" or "1Gi" (kubelet reservations are strings, never integers). */
const ReservedQuantitySchema = z
  .string()
  .regex(
    /^(\d+(\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$/,
    'must be a quantity such as "100m" or "1Gi"',
  );
/** An eviction threshold: a percentage or a quantity, e.g. "10%" or "500Mi". */
const EvictionThresholdSchema = z
  .string()
  .regex(
    /^((\d{1,2}(\.\d+)?|100(\.0+)?)%|\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/,
    'must be a percentage such as "10%" or a quantity such as "500Mi"',
  );

const reservedSchema = z.partialRecord(z.enum(RESERVABLE_RESOURCES), ReservedQuantitySchema);
const evictionSchema = z.partialRecord(z.enum(EVICTION_SIGNALS), EvictionThresholdSchema);

/** Kubelet settings Karpenter passes to the node's bootstrap and uses to compute allocatable. */
export const KubeletConfigurationSchema = withRules(
  z.strictObject({
    clusterDNS: z.array(z.string()).optional(),
    maxPods: z.int().min(0).optional(),
    podsPerCore: z.int().min(0).optional(),
    systemReserved: reservedSchema.optional(),
    kubeReserved: reservedSchema.optional(),
    evictionHard: evictionSchema.optional(),
    evictionSoft: evictionSchema.optional(),
    evictionSoftGracePeriod: z.partialRecord(z.enum(EVICTION_SIGNALS), DurationSchema).optional(),
    evictionMaxPodGracePeriod: z.int().optional(),
    imageGCHighThresholdPercent: z.int().min(0).max(100).optional(),
    imageGCLowThresholdPercent: z.int().min(0).max(100).optional(),
    cpuCFSQuota: z.boolean().optional(),
  }),
  [
    {
      cel: 'has(self.imageGCHighThresholdPercent) && has(self.imageGCLowThresholdPercent) ? self.imageGCHighThresholdPercent > self.imageGCLowThresholdPercent : true',
      message: 'imageGCHighThresholdPercent must be greater than imageGCLowThresholdPercent',
      path: ['imageGCHighThresholdPercent'],
      holds: ({ imageGCHighThresholdPercent: high, imageGCLowThresholdPercent: low }) =>
        high === undefined || low === undefined || high > low,
    },
    {
      cel: 'has(self.evictionSoft) ? self.evictionSoft.all(signal, has(self.evictionSoftGracePeriod) && signal in self.evictionSoftGracePeriod) : true',
      message: 'evictionSoft signals must each have an evictionSoftGracePeriod',
      path: ['evictionSoft'],
      holds: ({ evictionSoft, evictionSoftGracePeriod }) =>
        Object.keys(evictionSoft ?? {}).every((signal) =>
          Object.hasOwn(evictionSoftGracePeriod ?? {}, signal),
        ),
    },
  ],
);
export type KubeletConfiguration = z.output<typeof KubeletConfigurationSchema>;
