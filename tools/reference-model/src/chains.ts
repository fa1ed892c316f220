import type { ModelSegment } from './model-heap.js';

/** The main chain and sub-chains of a heap, without physical addresses or mappings. */
export type Chains = { start: number; size: number; segments: ModelSegment[] }[];

/**
 * The chains of a `@mems/core` heap snapshot or of a `ModelHeap`, in one shape, so the two
 * compare with `toEqual`.
 * @param snapshot what `Heap.snapshot()` returns, or a `ModelHeap` (only its nodes' start, size
 *   and segments are read).
 * @returns plain copies, ready for `toEqual`.
 */
export function chainsOf(snapshot: {
  nodes: readonly { start: number; size: number; segments: readonly ModelSegment[] }[];
}): Chains {
  return snapshot.nodes.map((n) => ({
    start: n.start,
    size: n.size,
    segments: n.segments.map((s) => ({ kind: s.kind, start: s.start, size: s.size })),
  }));
}
