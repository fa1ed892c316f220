import type { SegmentTable } from '../segment-table.js';

/**
 * A placement policy: the index over holes that decides which hole an allocation takes.
 * The heap owns the segments and tells the policy about every change to a hole; the policy
 * only keeps its index and answers {@link PlacementPolicy.findHole}. To add a policy, write a
 * {@link PlacementPolicyFactory} and pass it as the heap's `policy` option.
 *
 * Every method is called with segment ids of the heap's {@link SegmentTable}, whose
 * `start(id)` and `size(id)` give the hole's current address and size. The built-in policies
 * keep their links in the records' two policy slots; a policy of your own keeps arrays
 * indexed by segment id, grown in {@link PlacementPolicy.grow}.
 */
export interface PlacementPolicy {
  /** The policy's name, shown in snapshots and stats. */
  readonly name: string;
  /**
   * A new hole exists.
   * @param seg the HOLE segment id.
   */
  addHole(seg: number): void;
  /**
   * A hole is going away (taken whole, or merged into a neighbour). Called while the segment
   * still has the start and size it had in the index.
   * @param seg the HOLE segment id.
   */
  removeHole(seg: number): void;
  /**
   * A hole changed in place: its start and/or size are new (given old values), and it did not
   * move past any other hole in address order.
   * @param seg the HOLE segment id, already holding its new start and size.
   * @param oldStart its start before the change.
   * @param oldSize its size before the change.
   */
  updateHole(seg: number, oldStart: number, oldSize: number): void;
  /**
   * Chooses a hole for an allocation.
   * @param size the number of bytes needed (already rounded to the heap's alignment).
   * @returns a HOLE segment id of at least `size` bytes, or -1 when the policy finds none
   *   (the heap then maps a new node).
   */
  findHole(size: number): number;
  /**
   * Told after each allocation (next fit keeps its roving pointer with it).
   * @param start the new block's virtual address.
   * @param size its size.
   */
  allocated(start: number, size: number): void;
  /**
   * The segment table grew: grow any arrays indexed by segment id.
   * @param capacity the new capacity.
   */
  grow(capacity: number): void;
  /** Forgets every hole (the heap was destroyed or rebuilt). */
  clear(): void;
  /**
   * Checks the index against the heap's holes (used by `validate`).
   * @param holes the ids of every HOLE segment of the heap.
   * @returns a description of the first problem, or null.
   */
  check(holes: ReadonlySet<number>): string | null;
  /** Bytes of metadata the index holds. */
  readonly metadataBytes: number;
}

/** Builds a policy over a heap's segment table; passed as the `policy` heap option. */
export interface PlacementPolicyFactory {
  /** The name the policy reports. */
  readonly name: string;
  /**
   * @param segments the heap's segment table.
   * @returns a fresh, empty policy.
   */
  create(segments: SegmentTable): PlacementPolicy;
}
