// The slabs' operations: carve a slab out of a hole, take a free block from a slab, free a
// block back into its slab, release an empty slab to the holes. Each keeps the slab table
// (tables/slab-table.ts) and the sub-chain in step and cannot fail; the heap checks arguments
// first, reserves table room, and finds the slab (the class's first slab with a free block,
// or the page map's slab for an address). The raw counters and the node's live count see a
// slab as one live block of its span; the views in read/slab-views.ts show its blocks instead.

import { NONE } from '../memory/segment-layout.js';
import { SLAB_BYTES, SLAB_WORDS } from '../memory/slab-layout.js';
import type { HeapTables } from '../tables/heap-tables.js';
import { type SlabTable, slabBlockIndex } from '../tables/slab-table.js';
import { freeBlock, takeFromHole } from './sub-chain.js';

/**
 * Takes the first free block of slab `s` (of class `c`, which has one). A slab that becomes
 * full stays first in its class's list: the next allocation finds it full and takes it out
 * ({@link firstSlabWithRoom}), unless a free comes first.
 * @returns the block's address.
 */
export function takeFromSlab(slabs: SlabTable, s: number, c: number): number {
  const bits = slabs.bits;
  const at = s * SLAB_WORDS;
  let w = slabs.hint[s]!;
  let word = bits[at + w]!;
  while (word === 0) word = bits[at + ++w]!;
  const low = word & -word;
  bits[at + w] = word ^ low;
  slabs.hint[s] = w;
  slabs.live[s]!++;
  return slabs.start[s]! + ((w << 5) + 31 - Math.clz32(low)) * slabs.classSize[c]!;
}

/** {@link freeInSlab}'s result when the block was freed and its slab stays. */
export const FREED_IN_SLAB = -2;

/**
 * Frees the block that starts at `address` in slab `s`. A slab that was full joins its
 * class's list again, first; a slab left empty is released to the holes unless `keepEmpty`
 * and it is the first of its class's list (kept, so that a class that frees and allocates in
 * turn does not carve a slab every time). Only a list's first slab is ever empty.
 * @returns NONE when `address` is not the start of a live block of the slab (an interior
 *   address, a free block): nothing changed then; {@link FREED_IN_SLAB} when the block was
 *   freed; the slab's node when the block was freed and the slab released.
 */
export function freeInSlab(
  t: HeapTables,
  slabs: SlabTable,
  s: number,
  address: number,
  keepEmpty: boolean,
): number {
  const c = slabs.cls[s]!;
  const size = slabs.classSize[c]!;
  const offset = address - slabs.start[s]!;
  const index = slabBlockIndex(slabs, c, offset);
  if (index * size !== offset || index >= slabs.classBlocks[c]!) return NONE;
  const w = index >> 5;
  const bit = 1 << (index & 31);
  const at = s * SLAB_WORDS + w;
  const word = slabs.bits[at]!;
  if ((word & bit) !== 0) return NONE;
  slabs.bits[at] = word | bit;
  if (w < slabs.hint[s]!) slabs.hint[s] = w;
  const live = slabs.live[s]! - 1;
  slabs.live[s] = live;
  // (Every class has at least two blocks per slab, so an emptied slab was not full: it is listed.)
  if (live === 0 && !(keepEmpty && slabs.partial[c] === s)) return releaseSlab(t, slabs, s);
  if (slabs.listed[s] === 0) rejoinClass(t, slabs, s, c);
  return FREED_IN_SLAB;
}

/**
 * The first slab of class `c`'s list that has a free block, taking the full ones before it
 * out of the list.
 * @returns the slab, or NONE.
 */
export function firstSlabWithRoom(slabs: SlabTable, c: number): number {
  let s = slabs.partial[c]!;
  while (s !== NONE && slabs.live[s] === slabs.classBlocks[c]) {
    slabs.unlink(s, c);
    s = slabs.partial[c]!;
  }
  return s;
}

/**
 * Puts slab `s`, full and out of its list until now, first in class `c`'s list; an empty slab
 * first there is released, so that only a list's first slab is ever empty.
 */
function rejoinClass(t: HeapTables, slabs: SlabTable, s: number, c: number): void {
  const head = slabs.partial[c]!;
  if (head !== NONE && slabs.live[head] === 0) releaseSlab(t, slabs, head);
  slabs.pushPartial(s, c);
}

/**
 * Releases empty slab `s`: out of the slab table, its segment freed (merged with the holes
 * beside it).
 * @returns its node.
 */
export function releaseSlab(t: HeapTables, slabs: SlabTable, s: number): number {
  slabs.release(s);
  return freeBlock(t, slabs.seg[s]!);
}

/**
 * The first address in `hole` where a slab of `span` bytes fits: aligned to SLAB_BYTES from
 * the heap's first address, with `span` bytes of the hole from there.
 * @returns the address, or -1 when no slab fits.
 */
export function slabWindowIn(t: HeapTables, slabs: SlabTable, hole: number, span: number): number {
  const start = t.segments.start(hole);
  const pad = (SLAB_BYTES - ((start - slabs.base) % SLAB_BYTES)) % SLAB_BYTES;
  return t.segments.size(hole) >= pad + span ? start + pad : -1;
}

/**
 * Carves a slab of class `c` at `at` (from {@link slabWindowIn}) out of `hole`: the bytes
 * before it stay a hole, the slab becomes one PROCESS segment outside the live-block hash, the
 * rest stays a hole. Call `segments.reserve(4)`, `live.reserve(2)` and `slabs.reserve(at +
 * span)` first (span: the class's `classSpan`). The visible heap does not change: an empty slab is free memory.
 * @returns the slab id.
 */
export function carveSlab(t: HeapTables, slabs: SlabTable, hole: number, at: number, c: number): number {
  const segments = t.segments;
  const start = segments.start(hole);
  let pad = NONE;
  let rest = hole;
  if (at > start) {
    takeFromHole(t, hole, at - start);
    pad = t.live.delete(start);
    rest = segments.next(pad);
  }
  takeFromHole(t, rest, slabs.classSpan[c]!);
  const seg = t.live.delete(at);
  if (pad !== NONE) freeBlock(t, pad);
  return slabs.create(seg, at, segments.node(seg), c);
}
