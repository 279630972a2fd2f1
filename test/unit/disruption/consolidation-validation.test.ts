import { describe, expect, it } from 'vitest';
import { singleNodeConsolidationMethod, validateCommand } from '../../../lib/disruption/index.ts';
import { contextOf, names, onDemandPool, TYPES, world } from './consolidation-fixtures.ts';

describe('re-checking a consolidation command', () => {
  it('holds while the same removal is still a delete', () => {
    // Prepare
    const nodes = [
      { name: 'quiet', type: TYPES.large, pods: [500] },
      { name: 'roomy', type: TYPES.large, pods: [1000, 500] },
    ];
    const command = singleNodeConsolidationMethod.computeCommand(contextOf(world(nodes)).context);

    // Act
    const validation = command
      ? validateCommand(singleNodeConsolidationMethod, command, contextOf(world(nodes)).context)
      : undefined;

    // Assess
    expect(validation?.valid).toBe(true);
    expect(validation?.valid && names(validation.command.candidates)).toEqual(['quiet']);
  });

  it('is dropped when the delete would now need a replacement', () => {
    // Prepare: by the re-check the other node has filled up.
    const command = singleNodeConsolidationMethod.computeCommand(
      contextOf(
        world(
          [
            { name: 'quiet', type: TYPES.large, pods: [500] },
            { name: 'roomy', type: TYPES.large, pods: [1000, 500] },
          ],
          [onDemandPool()],
        ),
      ).context,
    );
    const later = world(
      [
        { name: 'quiet', type: TYPES.large, pods: [500] },
        { name: 'roomy', type: TYPES.large, pods: [1900, 1900] },
      ],
      [onDemandPool()],
    );

    // Act
    const validation = command
      ? validateCommand(singleNodeConsolidationMethod, command, contextOf(later).context)
      : undefined;

    // Assess
    expect(command?.replacements).toEqual([]);
    expect(validation).toEqual({
      valid: false,
      reason: 'it would now launch 1 replacement(s) instead of 0',
    });
  });
});
