import { describe, expect, it } from 'vitest';
import {
  CloudProviderError,
  InsufficientCapacityError,
  InstanceNotFoundError,
  NodeClassNotReadyError,
} from '../../../lib/cloudprovider/errors.ts';

describe('cloud provider errors', () => {
  it('share one base class, carry their cause and are named after their class', () => {
    // Prepare
    const cause = new Error('InsufficientInstanceCapacity');

    // Act
    const errors = [
      new InsufficientCapacityError('all offerings exhausted', [], { cause }),
      new NodeClassNotReadyError('default', 'no subnets match', { cause }),
      new InstanceNotFoundError('aws:///us-east-1a/i-123', { cause }),
    ];

    // Assess
    for (const error of errors) {
      expect(error).toBeInstanceOf(CloudProviderError);
      expect(error.cause).toBe(cause);
      expect(error.name).toBe(error.constructor.name);
    }
    expect(errors[1]?.message).toBe('node class "default" is not ready: no subnets match');
  });
});
