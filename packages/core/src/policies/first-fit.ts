import { HoleTree } from '../hole-tree.js';
import type { SegmentTable } from '../segment-table.js';
import type { PlacementPolicy, PlacementPolicyFactory } from './placement-policy.js';

/**
 * The seed's policy: the lowest-addressed hole that fits, which is the first fitting hole of
 * a walk through the main chain and each sub-chain in order. O(log holes) per call through a
 * treap over holes in address order that keeps each subtree's largest hole.
 */
export class FirstFitPolicy implements PlacementPolicy {
  readonly name: string = 'first-fit';
  protected readonly tree: HoleTree;

  /** @param segments the heap's segment table. */
  constructor(segments: SegmentTable) {
    this.tree = new HoleTree(segments, 'address');
  }

  addHole(seg: number): void {
    this.tree.insert(seg);
  }

  removeHole(seg: number): void {
    this.tree.remove(seg);
  }

  updateHole(seg: number, _oldStart: number, oldSize: number): void {
    this.tree.updateInPlace(seg, oldSize);
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

  /** The tree lives in the segment records: no bytes of its own. */
  get metadataBytes(): number {
    return 0;
  }
}

/** Factory for {@link FirstFitPolicy} (`policy: 'first-fit'`, the default). */
export const firstFit: PlacementPolicyFactory = {
  name: 'first-fit',
  create: (segments) => new FirstFitPolicy(segments),
};
