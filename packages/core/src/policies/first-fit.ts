import type { SharedTableState, TableMemory } from '../memory/table-memory.js';
import { FirstFitBTree } from './first-fit-btree.js';
import type { HoleRecords } from './hole-records.js';
import type { PlacementPolicy, PlacementPolicyFactory } from './placement-policy.js';

/**
 * The seed's policy: the lowest-addressed hole that fits, which is the first fitting hole of
 * a walk through the main chain and each sub-chain in order. O(log holes) per call through a
 * B+-tree over holes in address order whose entries keep the largest hole below them.
 */
export class FirstFitPolicy implements PlacementPolicy, SharedTableState {
  readonly name: string = 'first-fit';
  protected readonly tree: FirstFitBTree;

  /**
   * @param holes the heap's holes.
   * @param memory where the tree's arrays live.
   */
  constructor(holes: HoleRecords, memory?: TableMemory) {
    this.tree = new FirstFitBTree(holes, memory);
  }

  /** The tree's scalars (a subclass adds its own after them). */
  get stateSlots(): number {
    return this.tree.stateSlots;
  }

  rebind(): void {
    this.tree.rebind();
  }

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

  holeResized(seg: number): void {
    // Address order cannot change: only the largest-hole entries above it are refreshed.
    this.tree.updateInPlace(seg);
  }

  findHole(size: number): number {
    return this.tree.firstFitting(size);
  }

  allocated(_start: number, _size: number): void {}

  clear(): void {
    this.tree.clear();
  }

  check(holes: ReadonlySet<number>): string | null {
    return this.tree.check(holes);
  }

  get metadataBytes(): number {
    return this.tree.metadataBytes;
  }
}

/** Factory for {@link FirstFitPolicy} (`policy: 'first-fit'`, the default). */
export const firstFit: PlacementPolicyFactory = {
  name: 'first-fit',
  create: (holes, memory) => new FirstFitPolicy(holes, memory),
};
