// The slabs' table: small and medium blocks served from slabs, windows of a node (4 KiB for
// classes up to 1 KiB, up to 64 KiB for the larger ones) that each hold blocks of one size
// class (jemalloc's slabs, mimalloc's pages). A slab keeps a bitmap of its
// free blocks, so an allocation is a bit scan and a free is a bit set; a page map (one int32
// per 4 KiB of virtual address space) finds the slab of an address without a hash probe. In
// its node's sub-chain a slab is one PROCESS segment of its class's span, aligned to 4 KiB from
// the heap's first address, that the live-block hash does not hold: the views in read/ show its blocks
// and free blocks instead (read/slab-views.ts). The operations that carve and release slabs
// and move blocks in and out are in ops/slab-ops.ts.
//
// The table is plain typed arrays: slabs are for heaps of one thread (a shared heap refuses
// the option).

import { NONE } from '../memory/segment-layout.js';
import { SLAB_BYTES, SLAB_MAX_BLOCK, SLAB_MAX_PAGES, SLAB_WORDS } from '../memory/slab-layout.js';
import type { SlabSettings } from '../options/heap-options.js';

export { SLAB_BYTES, SLAB_WORDS } from '../memory/slab-layout.js';

/**
 * The slabs of one heap: per slab its start, node, segment, class, live block count,
 * free-block bitmap (bit set = free) with the index of its first word that may have a free
 * bit, and its links in its class's list (every slab with a free block, and some full ones);
 * per class the head of that list and its miss count; and the page map.
 */
export class SlabTable {
  /**
   * Number of size classes: 16 bytes, then steps of 8 up to 128, of 16 up to 256, 32 up to
   * 512, 64 up to 1024, 128 up to 2048, 256 up to 4096 and 512 up to 8192 (at most 1/8 of a
   * block rounds away past 128 bytes), each rounded up to the alignment, up to {@link limit}.
   */
  readonly classes: number;
  /** The class of each size, by (size + 7) >> 3, for sizes up to {@link limit}. */
  readonly classBy8: Uint8Array;
  /**
   * Per class of one-page slabs: ceil(2^23 / size), so that `(offset * reciprocal) >>> 23` is
   * floor(offset / size) for every offset in a slab (below 2^12): a multiply instead of a
   * division. 0 for a class of multi-page slabs, whose index is `(offset / size) | 0` (see
   * {@link slabBlockIndex}: a multiply in floating point for both cost one trace 5-15%).
   */
  readonly reciprocal: Int32Array;
  /** The largest size served from slabs (0 when no class exists). */
  readonly limit: number;
  /** Block size of each class. */
  readonly classSize: Int32Array;
  /** Bytes of one slab of each class: {@link slabPagesFor} pages of SLAB_BYTES. */
  readonly classSpan: Int32Array;
  /** Blocks per slab of each class: floor(span / size). */
  readonly classBlocks: Int32Array;
  /** Per class: the first slab of its list of slabs that have a free block (NONE: none). */
  readonly partial: Int32Array;
  /**
   * Per class: how many of its allocations found no slab with a free block. A class gets its
   * first slab only once this passes a slab's worth of blocks: a size a program asks for a few
   * times is placed in holes, so that it does not hold a mostly empty slab.
   */
  readonly misses: Int32Array;
  /** The virtual address the page map starts at (the heap's startAddress). */
  readonly base: number;

  /** Per slab: its first virtual address. */
  start = new Float64Array(0);
  /** Per slab: its node. */
  node = new Int32Array(0);
  /** Per slab: its segment in the node's sub-chain. */
  seg = new Int32Array(0);
  /** Per slab: its class. */
  cls = new Int32Array(0);
  /** Per slab: how many of its blocks are live. */
  live = new Int32Array(0);
  /** Per slab: the first bitmap word that may hold a free bit (every word before it is 0). */
  hint = new Int32Array(0);
  /**
   * Per slab: the next and the previous slab of its class's list. A slab that fills up stays
   * in the list until an allocation finds it full first there (so that a slab freed into and
   * allocated from in turn never moves); every slab with a free block is in the list.
   */
  next = new Int32Array(0);
  prev = new Int32Array(0);
  /** Per slab: 1 while it is in its class's list, else 0. */
  listed = new Int32Array(0);
  /** Free-block bitmaps, {@link SLAB_WORDS} words per slab. */
  bits = new Int32Array(0);
  /** Slab ids 0..capacity-1; those not in use are in {@link freeIds}. */
  private capacity = 0;
  private readonly freeIds: number[] = [];
  /** Slab id + 1 per SLAB_BYTES of virtual space from {@link base}; 0 outside every slab. */
  pageMap = new Int32Array(0);
  /** Bytes of virtual space the page map covers. */
  mapSpan = 0;

  /**
   * @param settings the resolved option.
   * @param alignment the heap's block alignment (every class size is a multiple of it).
   * @param base the heap's first virtual address.
   */
  constructor(settings: SlabSettings, alignment: number, base: number) {
    const sizes = slabClassSizes(settings.maxBlockSize, alignment);
    this.classes = sizes.length;
    this.limit = sizes.length === 0 ? 0 : sizes[sizes.length - 1]!;
    this.classSize = Int32Array.from(sizes);
    this.classSpan = Int32Array.from(sizes, (size) => slabPagesFor(size) * SLAB_BYTES);
    this.classBlocks = Int32Array.from(sizes, (size, c) => Math.floor(this.classSpan[c]! / size));
    this.reciprocal = Int32Array.from(sizes, (size, c) =>
      this.classSpan[c] === SLAB_BYTES ? Math.ceil(2 ** 23 / size) : 0,
    );
    this.classBy8 = new Uint8Array((this.limit >> 3) + 1);
    for (let i = 0, c = 0; i < this.classBy8.length; i++) {
      while (c < sizes.length && sizes[c]! < i * 8) c++;
      this.classBy8[i] = c;
    }
    this.partial = new Int32Array(this.classes).fill(NONE);
    this.misses = new Int32Array(this.classes);
    this.base = base;
  }

  /**
   * The slab holding `address`, by the page map.
   * @param address a non-negative number.
   * @returns its slab id, or NONE when no slab holds it.
   */
  slabAt(address: number): number {
    const offset = address - this.base;
    if (!(offset >= 0 && offset < this.mapSpan)) return NONE;
    return this.pageMap[(offset / SLAB_BYTES) | 0]! - 1;
  }

  /** The class of blocks of `n` bytes (1 to {@link limit}). */
  classOf(n: number): number {
    return this.classBy8[(n + 7) >> 3]!;
  }

  /** How many slabs exist. */
  get count(): number {
    return this.capacity - this.freeIds.length;
  }

  /**
   * Makes the page map cover `[base, end)` and the columns hold one more slab, so that
   * creating it cannot fail halfway (call before carving it).
   */
  reserve(end: number): void {
    const span = Math.ceil((end - this.base) / SLAB_BYTES) * SLAB_BYTES;
    if (span > this.mapSpan) {
      let length = Math.max(64, this.pageMap.length);
      while (length * SLAB_BYTES < span) length *= 2;
      const map = new Int32Array(length);
      map.set(this.pageMap);
      this.pageMap = map;
      this.mapSpan = length * SLAB_BYTES;
    }
    if (this.freeIds.length === 0) this.grow(Math.max(64, this.capacity * 2));
  }

  /**
   * Makes segment `seg` (class `c`'s span at `start`, aligned to 4 KiB, in `node`) a slab of
   * class `c`: every block free, first in the class's list (call {@link reserve} first).
   * @returns the slab id.
   */
  create(seg: number, start: number, node: number, c: number): number {
    const s = this.freeIds.pop()!;
    this.start[s] = start;
    this.node[s] = node;
    this.seg[s] = seg;
    this.cls[s] = c;
    this.live[s] = 0;
    this.hint[s] = 0;
    const blocks = this.classBlocks[c]!;
    const at = s * SLAB_WORDS;
    for (let w = 0; w < SLAB_WORDS; w++) {
      const from = w * 32;
      this.bits[at + w] = blocks >= from + 32 ? -1 : blocks <= from ? 0 : (1 << (blocks - from)) - 1;
    }
    this.mapPages(start, c, s + 1);
    this.pushPartial(s, c);
    return s;
  }

  /**
   * Forgets empty slab `s` (still in its class's list): out of the list and the page map, its
   * id free. The caller frees its segment.
   */
  release(s: number): void {
    this.unlink(s, this.cls[s]!);
    this.mapPages(this.start[s]!, this.cls[s]!, 0);
    this.freeIds.push(s);
  }

  /** Sets the page-map entries of a slab of class `c` at `start` to `entry`. */
  private mapPages(start: number, c: number, entry: number): void {
    const first = (start - this.base) / SLAB_BYTES;
    this.pageMap.fill(entry, first, first + this.classSpan[c]! / SLAB_BYTES);
  }

  /** Puts slab `s` first in class `c`'s list. */
  pushPartial(s: number, c: number): void {
    const head = this.partial[c]!;
    this.next[s] = head;
    this.prev[s] = NONE;
    this.listed[s] = 1;
    if (head !== NONE) this.prev[head] = s;
    this.partial[c] = s;
  }

  /** Takes slab `s` out of class `c`'s list. */
  unlink(s: number, c: number): void {
    const next = this.next[s]!;
    const prev = this.prev[s]!;
    if (prev !== NONE) this.next[prev] = next;
    else if (this.partial[c] === s) this.partial[c] = next;
    if (next !== NONE) this.prev[next] = prev;
    this.next[s] = NONE;
    this.prev[s] = NONE;
    this.listed[s] = 0;
  }

  /** Whether slab `s`'s block `index` is live. */
  isLiveBlock(s: number, index: number): boolean {
    return (this.bits[s * SLAB_WORDS + (index >> 5)]! & (1 << (index & 31))) === 0;
  }

  /**
   * The index of the live block of slab `s` that holds `address`, or -1 (a free block, the
   * slab's tail past its last block).
   */
  blockIndexAt(s: number, address: number): number {
    const c = this.cls[s]!;
    const index = slabBlockIndex(this, c, address - this.start[s]!);
    return index < this.classBlocks[c]! && this.isLiveBlock(s, index) ? index : -1;
  }

  /** Every slab id in use, in no particular order. */
  ids(): number[] {
    const free = new Set(this.freeIds);
    const out: number[] = [];
    for (let s = 0; s < this.capacity; s++) if (!free.has(s)) out.push(s);
    return out;
  }

  /** Forgets every slab (on destroy, after every node is unmapped). */
  clear(): void {
    this.partial.fill(NONE);
    this.misses.fill(0);
    this.pageMap.fill(0);
    this.freeIds.length = 0;
    for (let s = this.capacity - 1; s >= 0; s--) this.freeIds.push(s);
  }

  /** Bytes of the slab columns and the page map. */
  get metadataBytes(): number {
    return this.capacity * BYTES_PER_SLAB + this.pageMap.byteLength + this.classes * 16;
  }

  private grow(capacity: number): void {
    const old = this.capacity;
    const start = new Float64Array(capacity);
    start.set(this.start);
    this.start = start;
    this.node = extend(this.node, capacity);
    this.seg = extend(this.seg, capacity);
    this.cls = extend(this.cls, capacity);
    this.live = extend(this.live, capacity);
    this.hint = extend(this.hint, capacity);
    this.next = extend(this.next, capacity);
    this.prev = extend(this.prev, capacity);
    this.listed = extend(this.listed, capacity);
    this.bits = extend(this.bits, capacity * SLAB_WORDS);
    for (let s = capacity - 1; s >= old; s--) this.freeIds.push(s);
    this.capacity = capacity;
  }
}

/**
 * The block sizes of the slabs' classes up to `maxBlockSize` (see {@link SlabTable.classes}).
 * @param maxBlockSize the largest size served from slabs.
 * @param alignment the heap's alignment: every class size is a multiple of it.
 * @returns the sizes, increasing.
 */
export function slabClassSizes(maxBlockSize: number, alignment: number): number[] {
  const sizes: number[] = [];
  for (let size = 16; size <= Math.min(maxBlockSize, SLAB_MAX_BLOCK); ) {
    const rounded = Math.ceil(size / alignment) * alignment;
    if (rounded <= maxBlockSize && rounded !== sizes[sizes.length - 1]) sizes.push(rounded);
    // (1/8 of the power of two at or below the size, past 128 bytes.)
    if (size < 128) size += 8;
    else size += 2 ** Math.floor(Math.log2(size)) / 8;
  }
  return sizes;
}

/**
 * floor(offset / size) for an offset in a slab of class `c`: a multiply and a shift for a
 * one-page class (exact, since offset × size < 2^23 there), a division for a multi-page one.
 */
export function slabBlockIndex(slabs: SlabTable, c: number, offset: number): number {
  const reciprocal = slabs.reciprocal[c]!;
  return reciprocal !== 0 ? (offset * reciprocal) >>> 23 : (offset / slabs.classSize[c]!) | 0;
}

/**
 * How many pages of SLAB_BYTES a slab of `size`-byte blocks spans: one up to 1024 bytes (four
 * blocks or more); past that the fewest, up to SLAB_MAX_PAGES, that hold four blocks and leave
 * at most 1/16 of the slab past its last block (else, of those, the one that leaves least).
 * (Eight blocks per slab mapped 2-6% more on the traces, in partly empty slabs.)
 * @param size a class's block size (16 to SLAB_MAX_BLOCK).
 * @returns the page count.
 */
export function slabPagesFor(size: number): number {
  if (size <= 1024) return 1;
  let best = SLAB_MAX_PAGES;
  let bestWaste = 1;
  for (
    let pages = Math.min(SLAB_MAX_PAGES, Math.ceil((4 * size) / SLAB_BYTES));
    pages <= SLAB_MAX_PAGES;
    pages++
  ) {
    const span = pages * SLAB_BYTES;
    const waste = (span % size) / span;
    if (waste <= 1 / 16) return pages;
    if (waste < bestWaste) {
      best = pages;
      bestWaste = waste;
    }
  }
  return best;
}

/** Bytes of one slab's columns: start (8), node, segment, class, live, hint, next, prev, listed (8 × 4), bitmap. */
const BYTES_PER_SLAB = 8 + 8 * 4 + SLAB_WORDS * 4;

function extend(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(length);
  grown.set(array);
  return grown;
}
