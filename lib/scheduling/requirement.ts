import { normalizedLabelKey } from '../apis/labels.ts';
import type { NodeRequirement } from './types.ts';

/**
 * The values one label key may take, as a set that is either listed (`In`) or complemented
 * (`NotIn`/`Exists`), optionally bounded by inclusive integer bounds (`Gt N` is kept as at least
 * N+1, `Lt N` as at most N-1, `Gte`/`Lte` as they are). `mustExist` records whether the label has
 * to be present at all: `NotIn` and `DoesNotExist` are satisfied by a missing label, the others
 * are not. Deprecated keys (`beta.kubernetes.io/arch`…) are read as their current labels.
 */
export class Requirement {
  readonly key: string;
  private readonly only: string | undefined;

  constructor(
    key: string,
    readonly complement: boolean,
    readonly values: ReadonlySet<string>,
    readonly mustExist: boolean,
    readonly atLeast?: number,
    readonly atMost?: number,
    readonly minValues?: number,
  ) {
    this.key = normalizedLabelKey(key);
    this.only = !complement && values.size === 1 ? values.values().next().value : undefined;
  }

  static from(requirement: NodeRequirement): Requirement {
    const { key, operator, minValues } = requirement;
    const values = new Set(requirement.values ?? []);
    const bound = Number(requirement.values?.[0]);
    const bounded = (atLeast?: number, atMost?: number): Requirement =>
      new Requirement(key, true, new Set(), true, atLeast, atMost, minValues);
    switch (operator) {
      case 'In':
        return new Requirement(key, false, values, true, undefined, undefined, minValues);
      case 'NotIn':
        return new Requirement(key, true, values, false, undefined, undefined, minValues);
      case 'Exists':
        return bounded();
      case 'DoesNotExist':
        return new Requirement(key, false, new Set(), false, undefined, undefined, minValues);
      case 'Gt':
        return bounded(bound + 1);
      case 'Gte':
        return bounded(bound);
      case 'Lt':
        return bounded(undefined, bound - 1);
      case 'Lte':
        return bounded(undefined, bound);
    }
  }

  static single(key: string, value: string): Requirement {
    return new Requirement(key, false, new Set([value]), true);
  }

  static anyOf(key: string, values: Iterable<string>): Requirement {
    return new Requirement(key, false, new Set(values), true);
  }

  private withinBounds(value: string): boolean {
    return withinBounds(value, this.atLeast, this.atMost);
  }

  has(value: string): boolean {
    return this.complement !== this.values.has(value) && this.withinBounds(value);
  }

  /** True when some label value (or, where allowed, no label) satisfies the requirement. */
  isSatisfiable(): boolean {
    if (!this.complement) return this.values.size > 0 || !this.mustExist;
    if (this.atLeast !== undefined && this.atMost !== undefined) return this.atLeast <= this.atMost;
    return true;
  }

  /** The one value this requirement allows, if it allows exactly one. */
  singleValue(): string | undefined {
    return this.only;
  }

  /** Whether a node can satisfy both requirements; allocation-free twin of `intersection().isSatisfiable()`. */
  intersects(other: Requirement): boolean {
    if (!this.complement || !other.complement) {
      const [listed, rest] = this.complement ? [other, this] : [this, other];
      for (const value of listed.values)
        if (rest.has(value) && listed.withinBounds(value)) return true;
      return !(this.mustExist || other.mustExist);
    }
    return this.intersection(other).isSatisfiable();
  }

  intersection(other: Requirement): Requirement {
    const atLeast = maxDefined(this.atLeast, other.atLeast);
    const atMost = minDefined(this.atMost, other.atMost);
    const minValues = maxDefined(this.minValues, other.minValues);
    const mustExist = this.mustExist || other.mustExist;
    if (this.complement && other.complement) {
      return new Requirement(
        this.key,
        true,
        new Set([...this.values, ...other.values]),
        mustExist,
        atLeast,
        atMost,
        minValues,
      );
    }
    const [listed, rest] = this.complement ? [other, this] : [this, other];
    const values = new Set<string>();
    for (const value of listed.values)
      if (rest.has(value) && withinBounds(value, atLeast, atMost)) values.add(value);
    return new Requirement(this.key, false, values, mustExist, atLeast, atMost, minValues);
  }

  /** Back to Karpenter's form; bounds become Gte/Lte (both bounds, two requirements). */
  toNodeRequirements(): NodeRequirement[] {
    const { key } = this;
    const sorted = [...this.values].sort();
    const out: NodeRequirement[] = [];
    if (!this.complement)
      out.push(
        sorted.length > 0 || this.mustExist
          ? { key, operator: 'In', values: sorted }
          : { key, operator: 'DoesNotExist' },
      );
    else {
      const bounded = this.atLeast !== undefined || this.atMost !== undefined;
      if (sorted.length > 0) out.push({ key, operator: 'NotIn', values: sorted });
      if (this.atLeast !== undefined)
        out.push({ key, operator: 'Gte', values: [String(this.atLeast)] });
      if (this.atMost !== undefined)
        out.push({ key, operator: 'Lte', values: [String(this.atMost)] });
      if (out.length === 0 || (this.mustExist && !bounded)) out.push({ key, operator: 'Exists' });
    }
    const [first, ...rest] = out;
    return this.minValues === undefined || !first
      ? out
      : [{ ...first, minValues: this.minValues }, ...rest];
  }

  toString(): string {
    return this.toNodeRequirements()
      .map(
        ({ key, operator, values }) =>
          `${key} ${operator}${values?.length ? ` [${values.join(', ')}]` : ''}`,
      )
      .join(', ');
  }
}

/** Whether `value` is an integer within the bounds, when there are any. */
function withinBounds(value: string, atLeast?: number, atMost?: number): boolean {
  if (atLeast === undefined && atMost === undefined) return true;
  if (!/^-?\d+$/.test(value)) return false;
  const number = Number(value);
  return (atLeast === undefined || number >= atLeast) && (atMost === undefined || number <= atMost);
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
