import { WELL_KNOWN_LABELS } from '../apis/labels.ts';
import type { NodeSelectorRequirement } from '../apis/index.ts';
import { Requirement } from './requirement.ts';
import type { NodeRequirement } from './types.ts';

/** Requirements on several label keys, ANDed; at most one `Requirement` per key. */
export class Requirements {
  private readonly byKey: Map<string, Requirement>;

  constructor(requirements: Iterable<Requirement> = []) {
    this.byKey = new Map();
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
    return this.byKey.size;
  }

  get(key: string): Requirement | undefined {
    return this.byKey.get(key);
  }

  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }

  values(): IterableIterator<Requirement> {
    return this.byKey.values();
  }

  /** Narrows this set in place by `requirement`. */
  add(requirement: Requirement): void {
    const existing = this.byKey.get(requirement.key);
    this.byKey.set(requirement.key, existing ? existing.intersection(requirement) : requirement);
  }

  copy(): Requirements {
    return new Requirements(this.byKey.values());
  }

  /** A new set holding both; check `firstUnsatisfiable()` before relying on it. */
  intersection(other: Requirements): Requirements {
    const out = this.copy();
    for (const requirement of other.values()) out.add(requirement);
    return out;
  }

  /** Whether some requirement asks for a minimum of distinct values (Karpenter's minValues). */
  hasMinValues(): boolean {
    for (const requirement of this.byKey.values())
      if (requirement.minValues !== undefined) return true;
    return false;
  }

  firstUnsatisfiable(): Requirement | undefined {
    for (const requirement of this.byKey.values())
      if (!requirement.isSatisfiable()) return requirement;
    return undefined;
  }

  /**
   * Why pods with `incoming` requirements cannot land on a node with these requirements, or
   * undefined when they can. A key the node does not define is fine only when `incoming` lets the
   * label be absent, or, for a NodeClaim still to be created (`allowUndefinedWellKnown`), when it is a
   * well-known label that the chosen instance type will define.
   */
  incompatibility(incoming: Requirements, allowUndefinedWellKnown: boolean): string | undefined {
    for (const requirement of incoming.values()) {
      const existing = this.byKey.get(requirement.key);
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
    return [...this.byKey.values()]
      .filter(({ key }) => !omitted.has(key))
      .map((requirement) => requirement.toString())
      .join('; ');
  }

  toNodeRequirements(): NodeRequirement[] {
    return [...this.byKey.values()].flatMap((requirement) => requirement.toNodeRequirements());
  }

  /** Every key with exactly one allowed value, as labels. */
  singleValuedLabels(): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const requirement of this.byKey.values()) {
      const value = requirement.singleValue();
      if (value !== undefined) labels[requirement.key] = value;
    }
    return labels;
  }
}
