/** Something the simulation does at a virtual time. */
export interface TimedEvent {
  readonly at: number;
  readonly run: () => Promise<void> | void;
}

/** Schedules `action` at a virtual time. */
export type ScheduleAt = (time: number, action: TimedEvent['run']) => void;

interface Entry extends TimedEvent {
  readonly sequence: number;
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.sequence < b.sequence);
}

/** A min-heap of events by time; events at the same time run in the order they were added. */
export class EventQueue {
  private readonly heap: Entry[] = [];
  private added = 0;

  get size(): number {
    return this.heap.length;
  }

  add(event: TimedEvent): void {
    this.heap.push({ ...event, sequence: this.added++ });
    let index = this.heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(this.at(index), this.at(parent))) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  /** Time of the earliest event, or undefined when empty. */
  peekTime(): number | undefined {
    return this.heap[0]?.at;
  }

  pop(): TimedEvent | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (top === undefined || last === undefined || this.heap.length === 0) return top;
    this.heap[0] = last;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < this.heap.length && before(this.at(left), this.at(smallest))) smallest = left;
      if (right < this.heap.length && before(this.at(right), this.at(smallest))) smallest = right;
      if (smallest === index) return top;
      this.swap(index, smallest);
      index = smallest;
    }
  }

  private at(index: number): Entry {
    return this.heap[index] as Entry;
  }

  private swap(a: number, b: number): void {
    [this.heap[a], this.heap[b]] = [this.at(b), this.at(a)];
  }
}
