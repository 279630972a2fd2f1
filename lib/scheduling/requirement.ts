import type { NodeRequirement } from './types.ts';

/**
 * The values one label key may take, as a set that is either listed (`In`) or complemented
 * (`NotIn`/`Exists`), optionally bounded by integer `Gt`/`Lt`. `mustExist` records whether the
 * label has to be present at all: `NotIn` and `DoesNotExist` are satisfied by a missing label,
 * `In`, `Exists`, `Gt` and `Lt` are not.
 */
export class Requirement {
  private readonly only: string | undefined;

  constructor(
    readonly key: string,
    readonly complement: boolean,
    readonly values: ReadonlySet<string>,
    readonly mustExist: boolean,
    readonly greaterThan?: number,
    readonly lessThan?: number,
    readonly minValues?: number,
  ) {
    this.only = !complement && values.size === 1 ? values.values().next().value : undefined;
  }

  static from(requirement: NodeRequirement): Requirement {
    const { key, operator, minValues } = requirement;
    const values = new Set(requirement.values ?? []);
    const bound = Number(requirement.values?.[0]);
    switch (operator) {
      case 'In':
        return new Requirement(key, false, values, true, undefined, undefined, minValues);
      case 'NotIn':
        return new Requirement(key, true, values, false, undefined, undefined, minValues);
      case 'Exists':
        return new Requirement(key, true, new Set(), true, undefined, undefined, minValues);
      case 'DoesNotExist':
        return new Requirement(key, false, new Set(), false, undefined, undefined, minValues);
      case 'Gt':
        return new Requirement(key, true, new Set(), true, bound, undefined, minValues);
      case 'Lt':
        return new Requirement(key, true, new Set(), true, undefined, bound, minValues);
    }
  }

  static single(key: string, value: string): Requirement {
    return new Requirement(key, false, new Set([value]), true);
  }

  static anyOf(key: string, values: Iterable<string>): Requirement {
    return new Requirement(key, false, new Set(values), true);
  }

  private withinBounds(value: string): boolean {
    if (this.greaterThan === undefined && this.lessThan === undefined) return true;
    if (!/^-?\d+$/.test(value)) return false;
    const number = Number(value);
    return (
      (this.greaterThan === undefined || number > this.greaterThan) &&
      (this.lessThan === undefined || number < this.lessThan)
    );
  }

  has(value: string): boolean {
    return this.complement !== this.values.has(value) && this.withinBounds(value);
  }

  /** True when some label value (or, where allowed, no label) satisfies the requirement. */
  isSatisfiable(): boolean {
    if (!this.complement) return this.values.size > 0 || !this.mustExist;
    if (this.greaterThan !== undefined && this.lessThan !== undefined)
      return this.lessThan - this.greaterThan > 1;
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
    const greaterThan = maxDefined(this.greaterThan, other.greaterThan);
    const lessThan = minDefined(this.lessThan, other.lessThan);
    const minValues = maxDefined(this.minValues, other.minValues);
    const mustExist = this.mustExist || other.mustExist;
    if (this.complement && other.complement) {
      return new Requirement(
        this.key,
        true,
        new Set([...this.values, ...other.values]),
        mustExist,
        greaterThan,
        lessThan,
        minValues,
      );
    }
    const [listed, rest] = this.complement ? [other, this] : [this, other];
    const bounded = new Requirement(this.key, true, new Set(), false, greaterThan, lessThan);
    const values = new Set<string>();
    for (const value of listed.values) if (rest.has(value) && bounded.has(value)) values.add(value);
    return new Requirement(this.key, false, values, mustExist, greaterThan, lessThan, minValues);
  }

  /** Back to the Kubernetes form (Gt and Lt together become two requirements). */
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
      const bounded = this.greaterThan !== undefined || this.lessThan !== undefined;
      if (sorted.length > 0) out.push({ key, operator: 'NotIn', values: sorted });
      if (this.greaterThan !== undefined)
        out.push({ key, operator: 'Gt', values: [String(this.greaterThan)] });
      if (this.lessThan !== undefined)
        out.push({ key, operator: 'Lt', values: [String(this.lessThan)] });
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

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
