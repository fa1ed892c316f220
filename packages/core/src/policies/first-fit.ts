import { HoleBTree } from '../hole-btree.js';
import type { SegmentTable } from '../segment-table.js';
import type { PlacementPolicy, PlacementPolicyFactory } from './placement-policy.js';

/**
 * The seed's policy: the lowest-addressed hole that fits, which is the first fitting hole of
 * a walk through the main chain and each sub-chain in order. O(log holes) per call through a
 * B+-tree over holes in address order whose entries keep the largest hole below them.
 */
export class FirstFitPolicy implements PlacementPolicy {
  readonly name: string = 'first-fit';
  protected readonly tree: HoleBTree;

  /** @param segments the heap's segment table. */
  constructor(segments: SegmentTable) {
    this.tree = new HoleBTree(segments);
  }

  addHole(seg: number): void {
    this.tree.insert(seg);
  }

  removeHole(seg: number): void {
    this.tree.remove(seg);
  }

  updateHole(seg: number): void {
    this.tree.updateInPlace(seg);
  }

  findHole(size: number): number {
    return this.tree.firstFitting(size);
  }

  allocated(_start: number, _size: number): void {}

  grow(): void {}

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
  create: (segments) => new FirstFitPolicy(segments),
};
