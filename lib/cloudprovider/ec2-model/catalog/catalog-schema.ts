import { z } from 'zod';

const GpuFactsSchema = z.object({
  name: z.string().min(1),
  manufacturer: z.string().min(1),
  count: z.int().positive(),
  memoryMiB: z.int().nonnegative(),
});

const AcceleratorFactsSchema = z.object({
  name: z.string().min(1),
  manufacturer: z.string().min(1),
  count: z.int().positive(),
  coresPerDevice: z.int().positive().optional(),
});

/** One type in an embedded catalog: its `InstanceFacts` plus what the region sells it as. */
export const CatalogEntrySchema = z.object({
  name: z.string().min(1),
  vcpus: z.int().positive(),
  memoryMiB: z.int().positive(),
  architecture: z.enum(['amd64', 'arm64']),
  cpuManufacturer: z.string().optional(),
  hypervisor: z.string().optional(),
  bareMetal: z.boolean(),
  maxEnis: z.int().nonnegative(),
  ipv4PerEni: z.int().positive(),
  branchEnis: z.int().nonnegative(),
  efaInterfaces: z.int().positive().optional(),
  gpu: GpuFactsSchema.optional(),
  accelerator: AcceleratorFactsSchema.optional(),
  localNvmeGB: z.int().positive().optional(),
  networkBandwidthMbps: z.number().positive().optional(),
  /** Indexes into the catalog's `zones`. */
  zones: z.array(z.int().nonnegative()).min(1),
  capacityTypes: z.array(z.enum(['on-demand', 'spot'])).min(1),
  onDemandUSDPerHour: z.number().positive(),
});

/** The embedded catalog of one region, as written by scripts/generate-catalog.ts. */
export const CatalogSchema = z
  .object({
    about: z.string(),
    region: z.string().min(1),
    zones: z.array(z.string().min(1)).min(1),
    instanceTypes: z.array(CatalogEntrySchema),
  })
  .superRefine((catalog, context) => {
    catalog.instanceTypes.forEach((entry, index) => {
      entry.zones.forEach((zone, zoneIndex) => {
        if (zone >= catalog.zones.length) {
          context.addIssue({
            code: 'custom',
            path: ['instanceTypes', index, 'zones', zoneIndex],
            message: `zone index ${zone} is outside the catalog's ${catalog.zones.length} zones`,
          });
        }
      });
    });
  });

export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;
export type Catalog = z.infer<typeof CatalogSchema>;
