/**
 * How many instances this container launched (or is launching) into each capacity reservation
 * since it last read the reservation's free count, so reserved offerings stop being offered once they are used up
 * instead of after the next read (Karpenter keeps the same count in memory). Another container's
 * launches are not seen here: EC2's ReservationCapacityExceeded covers those.
 */
export class ReservationLaunches {
  private readonly launched = new Map<string, number>();

  record(reservationId: string): void {
    this.launched.set(reservationId, (this.launched.get(reservationId) ?? 0) + 1);
  }

  /** What is left of `available` (as EC2 last reported it) after this container's launches. */
  remaining(reservationId: string, available: number): number {
    return available - (this.launched.get(reservationId) ?? 0);
  }

  /** A fresh count from EC2 includes every launch so far. */
  reset(reservationIds: Iterable<string>): void {
    for (const id of reservationIds) this.launched.delete(id);
  }
}
