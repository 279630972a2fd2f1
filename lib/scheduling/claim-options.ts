/**
 * Room per instance type and resource (allocatable less the DaemonSets that run only on some
 * types), with each resource's options ordered by it: a growing need rules out a prefix of each
 * order, so a claim finds what a pod rules out by walking up from the bottom of the orders rather
 * than by testing every option. Resource quantities are integers, so `need > room` is exactly the
 * `need + DaemonSet share > allocatable` test it stands for.
 */
export class OptionOrders {
  /** The options, in catalog order. */
  readonly options: readonly number[];
  /** Per resource, the options by ascending room (ties in catalog order). */
  readonly ascending: readonly Int32Array[];
  /** Membership over the table's types. */
  readonly member: Uint8Array;
  /** Element-wise largest and smallest room of the options (zero without options). */
  readonly largest: Float64Array;
  readonly smallest: Float64Array;
  /** Per resource, the last position in `ascending`. */
  readonly highest: Int32Array;

  constructor(
    readonly room: Float64Array,
    readonly width: number,
    types: number,
    options: readonly number[],
    ascending?: readonly Int32Array[],
  ) {
    this.options = options;
    this.member = new Uint8Array(types);
    for (const index of options) this.member[index] = 1;
    this.ascending =
      ascending ??
      Array.from({ length: width }, (_, position) =>
        Int32Array.from(options).sort(
          (a, b) => (room[a * width + position] ?? 0) - (room[b * width + position] ?? 0) || a - b,
        ),
      );
    this.highest = new Int32Array(width).fill(options.length - 1);
    this.largest = new Float64Array(width);
    this.smallest = new Float64Array(width);
    if (options.length === 0) return;
    this.ascending.forEach((order, position) => {
      this.smallest[position] = room[(order[0] ?? 0) * width + position] ?? 0;
      this.largest[position] = room[(order[options.length - 1] ?? 0) * width + position] ?? 0;
    });
  }

  /** The orders of a subset of these options, without sorting again. */
  subset(options: readonly number[]): OptionOrders {
    if (options === this.options) return this;
    const member = new Uint8Array(this.member.length);
    for (const index of options) member[index] = 1;
    const ascending = this.ascending.map((order) => order.filter((index) => member[index] === 1));
    return new OptionOrders(this.room, this.width, member.length, options, ascending);
  }
}

const DROPPED = 0;
const KEPT = 1;
/** Ruled out by the narrowing in progress, until it is kept or undone. */
const DROPPING = 2;

/**
 * The instance-type options of one planned NodeClaim, which only ever shrink, with their
 * element-wise largest and smallest room. A pod is tried by `narrow`, then either `keep` or
 * `undo`.
 */
export class ClaimOptions {
  private readonly orders: OptionOrders;
  private readonly state: Uint8Array;
  private count: number;
  /** Per resource, how many of `ascending` are known too small for the claim. */
  private readonly tooSmall: Int32Array;
  private readonly tooSmallIfKept: Int32Array;
  /** Per resource, where in `ascending` the smallest and the largest option kept are. */
  private readonly lowest: Int32Array;
  private readonly highest: Int32Array;
  /** Element-wise largest and smallest room of the options. */
  readonly largest: Float64Array;
  readonly smallest: Float64Array;
  private readonly dropping: number[] = [];
  /** Every option dropped so far. */
  private readonly dropped: number[] = [];

  constructor(orders: OptionOrders) {
    const { width, options } = orders;
    this.orders = orders;
    this.state = orders.member.slice();
    this.count = options.length;
    this.tooSmall = new Int32Array(width);
    this.tooSmallIfKept = new Int32Array(width);
    this.lowest = new Int32Array(width);
    this.highest = orders.highest.slice();
    this.largest = orders.largest.slice();
    this.smallest = orders.smallest.slice();
  }

  get size(): number {
    return this.count;
  }

  has(index: number): boolean {
    return this.state[index] === KEPT;
  }

  /** The first of `order` (some options of the table) that is an option. */
  firstOf(order: readonly number[]): number | undefined {
    for (let position = 0; position < order.length; position++) {
      const index = order[position] ?? 0;
      if (this.state[index] === KEPT) return index;
    }
    return undefined;
  }

  /** Those of `all` (the options the claim's options were taken from) that it does not have, ascending. */
  missingFrom(all: readonly number[]): number[] {
    // As many to start from means the same ones: then only the dropped ones are missing.
    if (all.length === this.orders.options.length)
      return this.dropped.slice().sort((a, b) => a - b);
    const missing: number[] = [];
    for (let position = 0; position < all.length; position++) {
      const index = all[position] ?? 0;
      if (this.state[index] !== KEPT) missing.push(index);
    }
    return missing;
  }

  /** The options (those a narrowing in progress leaves), in catalog order. */
  list(): number[] {
    return this.orders.options.filter((index) => this.state[index] === KEPT);
  }

  /**
   * Rules out, until `keep` or `undo`, the options without room for `requests` plus `added` or
   * that `accepts` refuses; returns how many are left.
   */
  narrow(
    requests: Float64Array,
    added: Float64Array,
    accepts: ((index: number) => boolean) | undefined,
  ): number {
    const { state, dropping } = this;
    const { room, width, ascending, options } = this.orders;
    let left = this.count;
    for (let position = 0; position < width; position++) {
      const order = ascending[position] ?? new Int32Array();
      const need = (requests[position] ?? 0) + (added[position] ?? 0);
      let at = this.tooSmall[position] ?? 0;
      for (; at < order.length; at++) {
        const index = order[at] ?? 0;
        if (need <= (room[index * width + position] ?? 0)) break;
        if (state[index] !== KEPT) continue;
        state[index] = DROPPING;
        dropping.push(index);
        left--;
      }
      this.tooSmallIfKept[position] = at;
    }
    if (accepts)
      for (let position = 0; position < options.length; position++) {
        const index = options[position] ?? 0;
        if (state[index] !== KEPT || accepts(index)) continue;
        state[index] = DROPPING;
        dropping.push(index);
        left--;
      }
    return left;
  }

  /** Makes the narrowing in progress final. */
  keep(): void {
    this.tooSmall.set(this.tooSmallIfKept);
    if (this.dropping.length === 0) return;
    for (const index of this.dropping) this.state[index] = DROPPED;
    this.dropped.push(...this.dropping);
    this.count -= this.dropping.length;
    this.dropping.length = 0;
    if (this.count > 0) this.updateBounds();
  }

  /** Gives the options ruled out by the narrowing in progress back. */
  undo(): void {
    for (const index of this.dropping) this.state[index] = KEPT;
    this.dropping.length = 0;
  }

  private updateBounds(): void {
    const { state } = this;
    const { room, width, ascending } = this.orders;
    for (let position = 0; position < width; position++) {
      const order = ascending[position] ?? new Int32Array();
      let low = Math.max(this.lowest[position] ?? 0, this.tooSmall[position] ?? 0);
      while (state[order[low] ?? 0] !== KEPT) low++;
      let high = this.highest[position] ?? 0;
      while (state[order[high] ?? 0] !== KEPT) high--;
      this.lowest[position] = low;
      this.highest[position] = high;
      this.smallest[position] = room[(order[low] ?? 0) * width + position] ?? 0;
      this.largest[position] = room[(order[high] ?? 0) * width + position] ?? 0;
    }
  }
}
