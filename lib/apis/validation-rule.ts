import { z } from 'zod';

/**
 * A validation rule written twice, side by side: as a CEL expression the kube-apiserver enforces
 * through the CRD's `x-kubernetes-validations`, and as a TypeScript predicate zod enforces when
 * Skyscale parses an object itself. Keeping both in one value is what stops them drifting apart.
 */
export interface ValidationRule<T> {
  /** CEL over `self`, the value the rule is attached to. */
  readonly cel: string;
  readonly message: string;
  /** Field (relative to `self`) the problem is reported on; the CRD's `fieldPath` is derived from it. */
  readonly path?: readonly string[];
  /** True when `value` satisfies the rule. */
  readonly holds: (value: T) => boolean;
}

/** What the CRD generator writes into `x-kubernetes-validations`. */
export interface KubernetesValidation {
  readonly rule: string;
  readonly message: string;
  readonly fieldPath?: string;
}

/** What the CRD generator adds to a schema node beyond what `z.toJSONSchema` writes. */
export interface KubernetesSchemaExtensions {
  readonly rules?: readonly KubernetesValidation[];
  readonly maxProperties?: number;
}

/**
 * Schemas carrying Kubernetes extensions, read by the CRD generator. Refining a schema makes a
 * new one, so the helpers below copy what the original carried onto it.
 */
export const kubernetesSchemaExtensions = z.registry<KubernetesSchemaExtensions>();

function toKubernetesValidation<T>(rule: ValidationRule<T>): KubernetesValidation {
  const { cel, message, path } = rule;
  return path?.length
    ? { rule: cel, message, fieldPath: `.${path.join('.')}` }
    : { rule: cel, message };
}

/** `schema` refined with `rules`, registered so the CRD generator emits the same rules as CEL. */
export function withRules<S extends z.ZodType>(
  schema: S,
  rules: readonly ValidationRule<z.output<S>>[],
): S {
  const refined = schema.superRefine((value, ctx) => {
    for (const rule of rules) {
      if (!rule.holds(value))
        ctx.addIssue({
          code: 'custom',
          message: rule.message,
          path: [...(rule.path ?? [])],
          input: value,
        });
    }
  });
  const inherited = kubernetesSchemaExtensions.get(schema);
  kubernetesSchemaExtensions.add(refined, {
    ...inherited,
    rules: [...(inherited?.rules ?? []), ...rules.map(toKubernetesValidation)],
  });
  return refined;
}

/**
 * A map with at most `maxProperties` entries. The apiserver needs the bound (as `maxProperties`)
 * to estimate the cost of CEL rules over the map; zod enforces the same bound.
 */
export function boundedRecord<K extends z.core.$ZodRecordKey, V extends z.ZodType>(
  key: K,
  value: V,
  maxProperties: number,
) {
  const bounded = z
    .record(key, value)
    .refine((record) => Object.keys(record).length <= maxProperties, {
      message: `must have at most ${maxProperties} entries`,
    });
  kubernetesSchemaExtensions.add(bounded, { maxProperties });
  return bounded;
}
