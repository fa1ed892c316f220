import type { SharedTableState } from '../memory/table-memory.js';
import { BestFitTreap } from './best-fit-treap.js';
import type { HoleRecords } from './hole-records.js';
import type { PlacementPolicy, PlacementPolicyFactory } from './placement-policy.js';

/**
 * Best fit: the smallest hole that fits, the lowest-addressed one among equal sizes. Leaves
 * large holes whole for large requests. O(log holes) per call through a treap over holes in
 * (size, address) order.
 */
export class BestFitPolicy implements PlacementPolicy, SharedTableState {
  readonly name: string = 'best-fit';
  private readonly tree: BestFitTreap;

  /** @param holes the heap's holes (the treap lives in their link words). */
  constructor(holes: HoleRecords) {
    this.tree = new BestFitTreap(holes);
  }

  /** The treap's scalars (it lives in the segment records). */
  get stateSlots(): number {
    return 2;
  }

  /** Nothing to re-make: the treap lives in the segment records. */
  rebind(): void {}

  saveState(state: Float64Array, at: number): void {
    this.tree.saveState(state, at);
  }

  loadState(state: Float64Array, at: number): void {
    this.tree.loadState(state, at);
  }

  addHole(seg: number): void {
    this.tree.insert(seg);
  }

  removeHole(seg: number): void {
    this.tree.remove(seg);
  }

  holeResized(seg: number, oldStart: number, oldSize: number): void {
    // Ordered by (size, start): re-seat the hole, found under the key it had.
    this.tree.remove(seg, oldSize, oldStart);
    this.tree.insert(seg);
  }

  findHole(size: number): number {
    return this.tree.firstFitting(size);
  }

  allocated(): void {}

  clear(): void {
    this.tree.clear();
  }

  check(holes: ReadonlySet<number>): string | null {
    return this.tree.check(holes);
  }

  /** The tree lives in the segment records: no bytes of its own. */
  get metadataBytes(): number {
    return 0;
  }
}

/** Factory for {@link BestFitPolicy} (`policy: 'best-fit'`). */
export const bestFit: PlacementPolicyFactory = {
  name: 'best-fit',
  create: (holes) => new BestFitPolicy(holes),
};
