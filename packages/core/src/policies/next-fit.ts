import { FirstFitPolicy } from './first-fit.js';
import type { PlacementPolicyFactory } from './placement-policy.js';

/**
 * Next fit: first fit that starts looking where the last allocation ended and wraps around to
 * the lowest address when nothing fits after it. Spreads allocations over the heap instead of
 * crowding its start. O(log holes) per call over the same address-ordered treap as first fit.
 */
export class NextFitPolicy extends FirstFitPolicy {
  override readonly name: string = 'next-fit';
  private rover = 0;

  /** The tree's scalars and the rover. */
  override get stateSlots(): number {
    return super.stateSlots + 1;
  }

  override saveState(state: Float64Array, at: number): void {
    super.saveState(state, at);
    state[at + super.stateSlots] = this.rover;
  }

  override loadState(state: Float64Array, at: number): void {
    super.loadState(state, at);
    this.rover = state[at + super.stateSlots]!;
  }

  override findHole(size: number): number {
    const after = this.tree.firstFittingFrom(this.rover, size);
    return after !== -1 ? after : this.tree.firstFitting(size);
  }

  override allocated(start: number, size: number): void {
    this.rover = start + size;
  }

  override clear(): void {
    super.clear();
    this.rover = 0;
  }
}

/** Factory for {@link NextFitPolicy} (`policy: 'next-fit'`). */
export const nextFit: PlacementPolicyFactory = {
  name: 'next-fit',
  create: (holes, memory) => new NextFitPolicy(holes, memory),
};
