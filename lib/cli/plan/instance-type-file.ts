/**
 * The `--instance-types FILE.json` format: a JSON array of instance types that replaces the
 * embedded catalog (for tests, benchmarks and "what if" plans).
 */
import { z } from 'zod';
import { LabelKeySchema, LabelValueSchema } from '../../apis/core/label.ts';
import { Labels } from '../../apis/labels.ts';
import { formatZodIssues } from '../../apis/zod-issues.ts';
import { toResources } from '../../apis/quantity.ts';
import { QuantitySchema } from '../../apis/quantity-schema.ts';
import type { InstanceType } from '../../cloudprovider/types.ts';

/** Labels the file may not set: they come from `name`, `architecture` and `offerings`. */
const DERIVED_LABELS: Readonly<Record<string, string>> = {
  [Labels.instanceType]: 'it is the name',
  [Labels.arch]: 'set "architecture" instead',
  [Labels.os]: 'it is always linux',
  [Labels.zone]: 'it comes from the offerings',
  [Labels.capacityType]: 'it comes from the offerings',
};

const OfferingSchema = z.strictObject({
  zone: z.string().min(1),
  capacityType: z.enum(['spot', 'on-demand', 'reserved']),
  price: z.number().nonnegative(),
  available: z.boolean().default(true),
});

const REQUIRED_CAPACITY = ['cpu', 'memory', 'pods'] as const;

const CapacitySchema = z
  .record(z.string().min(1), QuantitySchema)
  .superRefine((capacity, context) => {
    for (const name of REQUIRED_CAPACITY) {
      if (!(name in capacity))
        context.addIssue({ code: 'custom', path: [name], message: 'is required' });
    }
  });

const InstanceTypeElementSchema = z.strictObject({
  name: z.string().min(1),
  architecture: z.enum(['amd64', 'arm64']).default('amd64'),
  capacity: CapacitySchema,
  overhead: z.record(z.string().min(1), QuantitySchema).default({}),
  labels: z
    .record(LabelKeySchema, LabelValueSchema)
    .superRefine((labels, context) => {
      for (const key of Object.keys(labels)) {
        const reason = DERIVED_LABELS[key];
        if (reason)
          context.addIssue({ code: 'custom', path: [key], message: `may not be set: ${reason}` });
      }
    })
    .default({}),
  offerings: z.array(OfferingSchema).min(1),
});

export const InstanceTypeFileSchema = z
  .array(InstanceTypeElementSchema)
  .superRefine((elements, context) => {
    const seen = new Set<string>();
    elements.forEach((element, index) => {
      if (seen.has(element.name)) {
        context.addIssue({
          code: 'custom',
          path: [index, 'name'],
          message: `duplicate instance type "${element.name}"`,
        });
      }
      seen.add(element.name);
    });
  });
export type InstanceTypeFile = z.output<typeof InstanceTypeFileSchema>;

export class InstanceTypeFileError extends Error {
  override readonly name = 'InstanceTypeFileError';
}

/** The file's overhead is one total; it is kept as kube-reserved, the other parts empty. */
export function instanceTypesFromFile(elements: InstanceTypeFile): InstanceType[] {
  return elements.map((element) => ({
    name: element.name,
    labels: {
      ...element.labels,
      [Labels.instanceType]: element.name,
      [Labels.arch]: element.architecture,
      [Labels.os]: 'linux',
    },
    capacity: toResources(element.capacity),
    overhead: {
      kubeReserved: toResources(element.overhead),
      systemReserved: {},
      evictionThreshold: {},
    },
    offerings: element.offerings,
  }));
}

/** Parses and validates the text of `file`; every problem is one line naming the file and field. */
export function parseInstanceTypeFile(file: string, text: string): InstanceType[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InstanceTypeFileError(`${file}: invalid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const result = InstanceTypeFileSchema.safeParse(document);
  if (!result.success) {
    const lines = formatZodIssues(result.error).map((problem) => `${file}: ${problem}`);
    throw new InstanceTypeFileError(lines.join('\n'), { cause: result.error });
  }
  return instanceTypesFromFile(result.data);
}
