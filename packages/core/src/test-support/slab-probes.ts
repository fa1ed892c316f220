// What the slabs' tests need to look at besides the public views: which addresses a slab
// holds (the heap's slab table, read only), and the EFAULT wording a heap without slabs gives
// for an address, derived from a snapshot.

import type { Heap } from '../heap.js';
import type { HeapSnapshot } from '../read/snapshot-types.js';

/**
 * The slab holding `address`, by the heap's page map (internal, read only).
 * @param heap a heap created with `slabs`.
 * @param address any number.
 * @returns the slab id, or -1.
 */
export function slabAt(heap: Heap, address: number): number {
  return slabTableOf(heap).slabAt(address);
}

/** The part of a heap's slab table these probes read (internal, read only). */
interface SlabTableProbe {
  slabAt(address: number): number;
  readonly start: Float64Array;
  readonly cls: Int32Array;
  readonly classSpan: Int32Array;
}

/** A heap's slab table, seen as {@link SlabTableProbe}. */
function slabTableOf(heap: Heap): SlabTableProbe {
  return (heap as unknown as { t: { slabs: SlabTableProbe } }).t.slabs;
}

/**
 * The window of the slab holding `address`: its first address and its bytes (internal, read only).
 * @param heap a heap created with `slabs`.
 * @param address an address in a slab.
 * @returns the slab's start and span.
 */
export function slabWindow(heap: Heap, address: number): { start: number; span: number } {
  const slabs = slabTableOf(heap);
  const s = slabs.slabAt(address);
  return { start: slabs.start[s]!, span: slabs.classSpan[slabs.cls[s]!]! };
}

/**
 * Why `address` is not a block's start, worded as a heap without slabs words it, from a
 * snapshot (the tail of an EFAULT message).
 * @param snapshot the heap's snapshot.
 * @param address the address refused.
 * @returns the explanation.
 */
export function explain(snapshot: HeapSnapshot, address: number): string {
  const node = snapshot.nodes.find((n) => address >= n.start && address <= n.lastAddress);
  if (node === undefined) return 'not inside any mapped node (never allocated, or its node was unmapped)';
  const seg = node.segments.find((s) => address >= s.start && address <= s.lastAddress)!;
  return seg.kind === 'HOLE'
    ? `inside a free hole [${seg.start}:${seg.lastAddress}] (already freed?)`
    : `an interior address of the block at ${seg.start}, not its start`;
}

/**
 * Allocates `size`-byte blocks until one comes from a slab (a class warms up on a few misses
 * placed in holes first); every block stays allocated.
 * @param heap a heap created with `slabs`.
 * @param size the block size.
 * @param limit how many blocks to try before giving up.
 * @returns every block allocated, the slab block last.
 * @throws Error when no block came from a slab within `limit` allocations.
 */
export function allocateUntilSlab(heap: Heap, size: number, limit = 5000): number[] {
  const blocks: number[] = [];
  do blocks.push(heap.allocate(size));
  while (slabAt(heap, blocks[blocks.length - 1]!) < 0 && blocks.length < limit);
  if (slabAt(heap, blocks[blocks.length - 1]!) < 0)
    throw new Error(`no ${size}-byte block came from a slab in ${limit} allocations`);
  return blocks;
}
