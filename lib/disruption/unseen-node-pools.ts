/**
 * The NodePools a single-node consolidation pass did not reach before it timed out, kept from one
 * pass to the next so that the next pass looks at their candidates first, as Karpenter's
 * single-node consolidation does: one large NodePool then cannot keep the others from ever being
 * consolidated. It lives as long as its holder (the tick's Lambda container, the simulator); a
 * cold start forgets it, as a restart of Karpenter's controller does, which changes only the order
 * in which candidates are looked at.
 */
export class UnseenNodePools {
  private names: readonly string[] = [];

  /** The NodePools to look at first, in the order the timed-out pass would have reached them. */
  first(): readonly string[] {
    return this.names;
  }

  /** What the pass that just ended did not reach (nothing when it looked at every candidate). */
  remember(names: Iterable<string>): void {
    this.names = [...names];
  }
}
