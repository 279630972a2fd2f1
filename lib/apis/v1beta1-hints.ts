import type { z } from 'zod';

/**
 * Error messages for what manifests written for Karpenter's v1beta1 API still carry, naming what
 * karpenter.sh/v1 and karpenter.k8s.aws/v1 want instead. Each is a zod error function: it returns
 * a message for the issues it knows and undefined (zod's own message) for every other.
 */
type ErrorFunction = (issue: z.core.$ZodRawIssue) => string | undefined;

/** For a strict object: keys v1beta1 had here, with where they went. */
export function movedKeys(hints: Readonly<Record<string, string>>): ErrorFunction {
  return (issue) => {
    if (issue.code !== 'unrecognized_keys') return undefined;
    const keys = issue.keys;
    if (!keys.some((key) => Object.hasOwn(hints, key))) return undefined;
    return keys
      .map((key) => (Object.hasOwn(hints, key) ? hints[key] : `"${key}" is not a field here`))
      .join('; ');
  };
}

/** For an enum or literal: values v1beta1 accepted, with what to write instead. */
export function renamedValues(hints: Readonly<Record<string, string>>): ErrorFunction {
  return (issue) =>
    typeof issue.input === 'string' && Object.hasOwn(hints, issue.input)
      ? hints[issue.input]
      : undefined;
}

/** For a field v1 requires and v1beta1 could leave out: what to write when it is missing. */
export function newlyRequired(hint: string): ErrorFunction {
  return (issue) => (issue.input === undefined ? hint : undefined);
}

export function apiVersionHints(current: string): ErrorFunction {
  const group = current.split('/')[0];
  return renamedValues({
    [`${group}/v1beta1`]: `${group}/v1beta1 is Karpenter's old API: write apiVersion: ${current} (the CRDs serve only v1)`,
  });
}
