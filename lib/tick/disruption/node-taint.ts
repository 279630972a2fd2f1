import { Taints, type Node } from '../../apis/index.ts';

function isDisruptedTaint({ key, effect }: { key: string; effect: string }): boolean {
  return key === Taints.disrupted.key && effect === Taints.disrupted.effect;
}

/** The node with `karpenter.sh/disrupted:NoSchedule`, so nothing new lands on it; undefined (no write) if it has it. */
export function withDisruptedTaint(node: Node): Node | undefined {
  const taints = node.spec?.taints ?? [];
  if (taints.some(isDisruptedTaint)) return undefined;
  return { ...node, spec: { ...node.spec, taints: [...taints, { ...Taints.disrupted }] } };
}

export function withoutDisruptedTaint(node: Node): Node | undefined {
  const taints = node.spec?.taints ?? [];
  if (!taints.some(isDisruptedTaint)) return undefined;
  return {
    ...node,
    spec: { ...node.spec, taints: taints.filter((taint) => !isDisruptedTaint(taint)) },
  };
}
