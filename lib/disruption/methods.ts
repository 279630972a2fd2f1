import type { Command, DisruptionMethod, MethodContext } from './command.ts';
import { driftMethod } from './drift-method.ts';
import { emptinessMethod } from './emptiness.ts';
import { multiNodeConsolidationMethod } from './multi-node-consolidation.ts';
import { singleNodeConsolidationMethod } from './single-node-consolidation.ts';

/** The methods in Karpenter's order: drift, emptiness, multi-node then single-node consolidation. */
export const DISRUPTION_METHODS: readonly DisruptionMethod[] = [
  driftMethod,
  emptinessMethod,
  multiNodeConsolidationMethod,
  singleNodeConsolidationMethod,
];

/** The first method's command, each method deciding from the context made for it. */
export function firstCommand(
  methods: readonly DisruptionMethod[],
  contextFor: (method: DisruptionMethod) => MethodContext,
): { method: DisruptionMethod; command: Command } | undefined {
  for (const method of methods) {
    const command = method.computeCommand(contextFor(method));
    if (command) return { method, command };
  }
  return undefined;
}
