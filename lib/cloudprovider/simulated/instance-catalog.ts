import type { EC2NodeClass } from '../../apis/index.ts';
import { type Catalog, instanceTypesFromCatalog } from '../ec2-model/catalog/index.ts';
import { nodeClassCapacityOptions } from '../ec2-model/node-class-capacity.ts';
import type { InstanceType } from '../types.ts';
import type { UnavailableOfferings } from '../ec2-model/unavailable-offerings.ts';

/**
 * The embedded catalog's instance types for each EC2NodeClass (capacity depends on its kubelet
 * and volume settings), computed once per distinct setting, with offerings in the
 * unavailable-offerings cache reported as unavailable, as the EC2 adapter does.
 */
export class InstanceCatalog {
  private readonly computed = new Map<string, readonly InstanceType[]>();

  constructor(
    private readonly catalog: Catalog,
    private readonly unavailable: UnavailableOfferings,
  ) {}

  /** Every offering as the catalog has it, whatever the cache says (shared; do not change). */
  catalogTypes(nodeClass: EC2NodeClass): readonly InstanceType[] {
    const options = nodeClassCapacityOptions(nodeClass);
    const key = JSON.stringify(options);
    let types = this.computed.get(key);
    if (!types) this.computed.set(key, (types = instanceTypesFromCatalog(this.catalog, options)));
    return types;
  }

  /** The types with each offering's availability; `anyUnavailable` false skips the per-offering check. */
  instanceTypes(nodeClass: EC2NodeClass, anyUnavailable: boolean): InstanceType[] {
    const types = this.catalogTypes(nodeClass);
    if (!anyUnavailable) return [...types];
    return types.map((type) => ({
      ...type,
      offerings: type.offerings.map((offering) => ({
        ...offering,
        available:
          offering.available &&
          !this.unavailable.isUnavailable({ instanceType: type.name, ...offering }),
      })),
    }));
  }
}
