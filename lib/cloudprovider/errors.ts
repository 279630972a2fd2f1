/**
 * The cloud provider's error hierarchy. Callers branch on the class (provisioning deletes the
 * NodeClaim on InsufficientCapacityError or NodeClassNotReadyError; termination treats
 * InstanceNotFoundError as done); the underlying SDK error, when there is one, is the `cause`.
 */
import type { CapacityType } from '../apis/labels.ts';

export class CloudProviderError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One (instance type, zone, capacity type) that a launch could not use. */
export interface OfferingKey {
  readonly instanceType: string;
  readonly zone: string;
  readonly capacityType: CapacityType;
  /**
   * For a reserved offering, its capacity reservation: an entry naming one holds that
   * reservation alone unavailable (an interrupted reservation), not the type's other reservations
   * in the zone.
   */
  readonly reservationId?: string;
}

/** An offering held unavailable until `expiresAt` (epoch milliseconds). */
export interface UnavailableOffering extends OfferingKey {
  readonly expiresAt: number;
}

/** Every offering the NodeClaim allows is out of capacity; re-plan its pods elsewhere. */
export class InsufficientCapacityError extends CloudProviderError {
  constructor(
    message: string,
    readonly exhausted: readonly OfferingKey[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The node class cannot launch anything yet (a selector resolved to nothing, or it is missing). */
export class NodeClassNotReadyError extends CloudProviderError {
  constructor(
    readonly nodeClassName: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`node class "${nodeClassName}" is not ready: ${reason}`, options);
  }
}

/** The instance behind a providerID (or a NodeClaim) does not exist, or has terminated. */
export class InstanceNotFoundError extends CloudProviderError {
  constructor(
    readonly providerID: string,
    options?: ErrorOptions,
  ) {
    super(`instance ${providerID} not found`, options);
  }
}
