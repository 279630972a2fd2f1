import type { NodeClaim } from '../apis/index.ts';
import { Labels } from '../apis/labels.ts';
import type { Resources } from '../apis/quantity.ts';
import { allocatable, type InstanceType } from '../cloudprovider/index.ts';
import type { EstimatedCapacity } from './state-node.ts';

function instanceTypeOptions(
  nodeClaim: NodeClaim,
  instanceTypes: readonly InstanceType[],
): readonly InstanceType[] {
  const requirement = nodeClaim.spec.requirements.find(
    ({ key, operator }) => key === Labels.instanceType && operator === 'In',
  );
  if (!requirement) return instanceTypes;
  const names = new Set(requirement.values);
  return instanceTypes.filter(({ name }) => names.has(name));
}

function combine(lists: readonly Resources[], pick: (a: number, b: number) => number): Resources {
  const names = new Set(lists.flatMap((list) => Object.keys(list)));
  const out: Record<string, number> = {};
  for (const name of names)
    out[name] = lists.map((list) => list[name] ?? 0).reduce((a, b) => pick(a, b));
  return out;
}

/**
 * What a NodeClaim that is not launched yet will offer, from the instance types it allows:
 * capacity is the largest option's (what NodePool limits must reserve, as Karpenter does) and
 * allocatable the least any option guarantees, so pods counted onto it fit whichever type launches.
 * With no known option it offers nothing.
 */
export function estimateClaimCapacity(
  nodeClaim: NodeClaim,
  instanceTypes: readonly InstanceType[],
): EstimatedCapacity {
  return optionsCapacity(instanceTypeOptions(nodeClaim, instanceTypes));
}

/** What a NodeClaim allowed exactly `options` will offer: see `estimateClaimCapacity`. */
export function optionsCapacity(options: readonly InstanceType[]): EstimatedCapacity {
  if (options.length === 0) return { capacity: {}, allocatable: {} };
  return {
    capacity: combine(
      options.map(({ capacity }) => capacity),
      Math.max,
    ),
    allocatable: combine(
      options.map((option) => allocatable(option)),
      Math.min,
    ),
  };
}
