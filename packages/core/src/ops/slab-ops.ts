// The slabs' hot path: take a free block from a slab, free a block back into its slab. Both
// keep the slab table (tables/slab-table.ts) and the node's live count in step and cannot fail;
// the heap checks arguments first and finds the slab (the class's first partial slab, or the
// page map's slab for an address). The heap's raw counters leave slab blocks out: the views in
// read/slab-views.ts count them from the bitmaps.

import { NONE } from '../memory/segment-layout.js';
import type { HeapTables } from '../tables/heap-tables.js';
import { SLAB_WORDS, type SlabTable } from '../tables/slab-table.js';

/**
 * Takes the first free block of slab `s` (of class `c`, which has one); a slab that becomes
 * full leaves its class's list.
 * @returns the block's address.
 */
export function takeFromSlab(t: HeapTables, slabs: SlabTable, s: number, c: number): number {
  const bits = slabs.bits;
  const at = s * SLAB_WORDS;
  let w = slabs.hint[s]!;
  let word = bits[at + w]!;
  while (word === 0) word = bits[at + ++w]!;
  const low = word & -word;
  bits[at + w] = word ^ low;
  slabs.hint[s] = w;
  const live = slabs.live[s]! + 1;
  slabs.live[s] = live;
  if (live === slabs.classBlocks[c]!) slabs.unlink(s, c);
  t.nodes.liveCount[slabs.node[s]!]!++;
  return slabs.start[s]! + ((w << 5) + 31 - Math.clz32(low)) * slabs.classSize[c]!;
}

/**
 * Frees the block that starts at `address` in slab `s`. A slab that was full joins its
 * class's list again, first; a slab left empty goes back to the unused slabs unless it is the
 * first of its class's list (kept, so that a class that frees and allocates in turn does not
 * re-initialise a slab every time).
 * @returns the slab's node, or NONE when `address` is not the start of a live block of the
 *   slab (an unused slab, an interior address, a free block): nothing changed then.
 */
export function freeInSlab(t: HeapTables, slabs: SlabTable, s: number, address: number): number {
  const c = slabs.cls[s]!;
  if (c < 0) return NONE;
  const size = slabs.classSize[c]!;
  const offset = address - slabs.start[s]!;
  const index = (offset / size) | 0;
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
  if (live === slabs.classBlocks[c]! - 1) rejoinClass(slabs, s, c);
  else if (live === 0 && slabs.partial[c] !== s) slabs.retire(s, c);
  const node = slabs.node[s]!;
  t.nodes.liveCount[node]!--;
  return node;
}

/**
 * Puts slab `s`, full until now, first in class `c`'s list; an empty slab first there goes
 * back to the unused slabs, so that only a list's first slab is ever empty.
 */
function rejoinClass(slabs: SlabTable, s: number, c: number): void {
  const head = slabs.partial[c]!;
  if (head !== NONE && slabs.live[head] === 0) slabs.retire(head, c);
  slabs.pushPartial(s, c);
}
