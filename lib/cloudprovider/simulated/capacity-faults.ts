import type { Clock } from '../../util/clock.ts';
import type { CapacityType } from '../../apis/labels.ts';
import type { OfferingKey } from '../errors.ts';

/** An offering EC2 has no capacity for; absent fields match any zone or capacity type. */
export interface CapacityFault {
  readonly instanceType: string;
  readonly zone?: string | undefined;
  readonly capacityType?: CapacityType | undefined;
  /** Epoch milliseconds when capacity returns; absent: never. */
  readonly until?: number | undefined;
}

/**
 * The faults a scenario injects into the simulated EC2: offerings out of capacity (launches of
 * them fail as CreateFleet's InsufficientInstanceCapacity does) and launches whose instance
 * boots but never joins the cluster.
 */
export class CapacityFaults {
  private readonly exhausted: CapacityFault[] = [];
  private neverRegistering = 0;

  constructor(private readonly clock: Clock) {}

  exhaust(fault: CapacityFault): void {
    this.exhausted.push(fault);
  }

  isExhausted(offering: OfferingKey): boolean {
    const now = this.clock.now();
    return this.exhausted.some(
      (fault) =>
        fault.instanceType === offering.instanceType &&
        (fault.zone === undefined || fault.zone === offering.zone) &&
        (fault.capacityType === undefined || fault.capacityType === offering.capacityType) &&
        (fault.until === undefined || fault.until > now),
    );
  }

  /** The next `count` launches never register. */
  neverRegisterNext(count: number): void {
    this.neverRegistering += count;
  }

  /** Whether this launch is one that never registers (and uses up one of them). */
  takeNeverRegister(): boolean {
    if (this.neverRegistering === 0) return false;
    this.neverRegistering -= 1;
    return true;
  }
}
