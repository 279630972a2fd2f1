import { WELL_KNOWN_LABELS } from '../apis/labels.ts';
import type { NodeSelectorRequirement } from '../apis/index.ts';
import { Requirement } from './requirement.ts';
import type { NodeRequirement } from './types.ts';

/** Requirements on several label keys, ANDed; at most one `Requirement` per key. */
export class Requirements {
  /** In the order their keys were first added. */
  private list: Requirement[] = [];
  /** Each key's position in `list`. */
  private positions = new Map<string, number>();

  constructor(requirements: Iterable<Requirement> = []) {
    for (const requirement of requirements) this.add(requirement);
  }

  static fromNodeRequirements(
    requirements: readonly (NodeRequirement | NodeSelectorRequirement)[],
  ): Requirements {
    return new Requirements(requirements.map((requirement) => Requirement.from(requirement)));
  }

  /** Each label as a single-valued `In`, which is how an existing node constrains pods. */
  static fromLabels(labels: Readonly<Record<string, string>> | undefined): Requirements {
    return new Requirements(
      Object.entries(labels ?? {}).map(([key, value]) => Requirement.single(key, value)),
    );
  }

  get size(): number {
    return this.list.length;
  }

  get(key: string): Requirement | undefined {
    const position = this.positions.get(key);
    return position === undefined ? undefined : this.list[position];
  }

  keys(): string[] {
    return this.list.map(({ key }) => key);
  }

  values(): readonly Requirement[] {
    return this.list;
  }

  /** Narrows this set in place by `requirement`. */
  add(requirement: Requirement): void {
    const position = this.positions.get(requirement.key);
    const existing = position === undefined ? undefined : this.list[position];
    if (position === undefined || existing === undefined) {
      this.positions.set(requirement.key, this.list.length);
      this.list.push(requirement);
    } else this.list[position] = existing.intersection(requirement);
  }

  copy(): Requirements {
    const copy = new Requirements();
    copy.list = this.list.slice();
    copy.positions = new Map(this.positions);
    return copy;
  }

  /** A new set holding both; check `firstUnsatisfiable()` before relying on it. */
  intersection(other: Requirements): Requirements {
    const out = this.copy();
    for (let position = 0; position < other.list.length; position++) {
      const requirement = other.list[position];
      if (requirement) out.add(requirement);
    }
    return out;
  }

  /** Whether some requirement asks for a minimum of distinct values (Karpenter's minValues). */
  hasMinValues(): boolean {
    return this.list.some(({ minValues }) => minValues !== undefined);
  }

  firstUnsatisfiable(): Requirement | undefined {
    return this.list.find((requirement) => !requirement.isSatisfiable());
  }

  /**
   * Why pods with `incoming` requirements cannot land on a node with these requirements, or
   * undefined when they can. A key the node does not define is fine only when `incoming` lets the
   * label be absent, or, for a NodeClaim still to be created (`allowUndefinedWellKnown`), when it is a
   * well-known label that the chosen instance type will define.
   */
  incompatibility(incoming: Requirements, allowUndefinedWellKnown: boolean): string | undefined {
    for (let position = 0; position < incoming.list.length; position++) {
      const requirement = incoming.list[position];
      if (!requirement) continue;
      const existing = this.get(requirement.key);
      if (existing === undefined) {
        if (
          requirement.mustExist &&
          !(allowUndefinedWellKnown && WELL_KNOWN_LABELS.has(requirement.key))
        ) {
          return `label "${requirement.key}" is not defined (needs ${requirement.toString()})`;
        }
      } else if (!existing.intersects(requirement)) {
        return `${requirement.toString()} conflicts with ${existing.toString()}`;
      }
    }
    return undefined;
  }

  /** Readable form, leaving out `omitted` keys (such as a planned claim's placeholder hostname). */
  describe(omitted: ReadonlySet<string> = new Set()): string {
    return this.list
      .filter(({ key }) => !omitted.has(key))
      .map((requirement) => requirement.toString())
      .join('; ');
  }

  toNodeRequirements(): NodeRequirement[] {
    return this.list.flatMap((requirement) => requirement.toNodeRequirements());
  }

  /** Every key with exactly one allowed value, as labels. */
  singleValuedLabels(): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const requirement of this.list) {
      const value = requirement.singleValue();
      if (value !== undefined) labels[requirement.key] = value;
    }
    return labels;
  }
}
