import type { LabelSelector } from '../apis/index.ts';

export type Labels = Readonly<Record<string, string>>;

export type LabelMatcher = (labels: Labels) => boolean;

/** A matcher for `selector`, prepared once for the hot loop. An absent selector selects nothing. */
export function compileSelector(selector: LabelSelector | undefined): LabelMatcher {
  if (!selector) return () => false;
  const exact = Object.entries(selector.matchLabels ?? {});
  const expressions = (selector.matchExpressions ?? []).map(({ key, operator, values }) => ({
    key,
    operator,
    values: new Set(values ?? []),
  }));
  return (labels) => {
    for (const [key, value] of exact) if (labels[key] !== value) return false;
    for (const { key, operator, values } of expressions) {
      const value = labels[key];
      if (operator === 'Exists' || operator === 'DoesNotExist') {
        if ((value !== undefined) !== (operator === 'Exists')) return false;
      } else if ((value !== undefined && values.has(value)) !== (operator === 'In')) return false;
    }
    return true;
  };
}

/** `selector` with `matchLabelKeys` folded in: each key the pod carries must match the pod's value. */
export function withMatchLabelKeys(
  selector: LabelSelector | undefined,
  matchLabelKeys: readonly string[] | undefined,
  labels: Labels,
): LabelSelector | undefined {
  const keys = (matchLabelKeys ?? []).filter((key) => labels[key] !== undefined);
  if (!selector || keys.length === 0) return selector;
  const extra = keys.map((key) => ({ key, operator: 'In' as const, values: [labels[key] ?? ''] }));
  return { ...selector, matchExpressions: [...(selector.matchExpressions ?? []), ...extra] };
}
