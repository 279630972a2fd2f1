import { readFile } from 'node:fs/promises';
import type { EC2NodeClass } from '../../apis/index.ts';
import {
  type Catalog,
  embeddedCatalog,
  instanceTypesFromCatalog,
} from '../../cloudprovider/ec2-model/catalog/index.ts';
import { InstanceTypeFileError, parseInstanceTypeFile } from './instance-type-file.ts';
import { nodeClassCapacityOptions } from '../../cloudprovider/ec2-model/node-class-capacity.ts';
import type { InstanceType } from '../../cloudprovider/types.ts';
import type { InstanceTypesFor } from './plan-input.ts';

/** Embedded-catalog types, computed once per EC2NodeClass (and once for NodePools without one). */
function fromCatalog(catalog: Catalog): InstanceTypesFor {
  const computed = new Map<EC2NodeClass | undefined, readonly InstanceType[]>();
  return (nodeClass) => {
    let types = computed.get(nodeClass);
    if (!types) {
      types = instanceTypesFromCatalog(
        catalog,
        nodeClass ? nodeClassCapacityOptions(nodeClass) : {},
      );
      computed.set(nodeClass, types);
    }
    return types;
  };
}

/**
 * Where plan's instance types come from: the `--instance-types` file, whose capacities are used
 * as given for every NodePool, or else the embedded catalog of the region.
 */
export async function instanceTypeSource(
  instanceTypesFile: string | undefined,
  region: string,
): Promise<InstanceTypesFor> {
  if (instanceTypesFile === undefined) return fromCatalog(embeddedCatalog(region));
  let text: string;
  try {
    text = await readFile(instanceTypesFile, 'utf8');
  } catch (error) {
    throw new InstanceTypeFileError(
      `${instanceTypesFile}: cannot read: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const types = parseInstanceTypeFile(instanceTypesFile, text);
  return () => types;
}
