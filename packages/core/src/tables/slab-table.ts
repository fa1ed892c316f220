// The slabs' table: small blocks served from slabs, 4 KiB pages that each hold blocks of one
// size class (jemalloc's slabs, mimalloc's pages), in nodes of their own (slab nodes). A slab
// keeps a bitmap of its free blocks, so an allocation is a bit scan and a free is a bit set;
// a page map (one int32 per 4 KiB of virtual address space) finds the slab of an address
// without a hash probe. A slab node has no sub-chain of its own: the views in read/ derive its
// PROCESS and HOLE segments from the bitmaps (read/slab-views.ts), and the operations that
// move blocks and slabs are in ops/slab-ops.ts.
//
// The table is plain typed arrays: slabs are for heaps of one thread (a shared heap refuses
// the option).

import { NONE } from '../memory/segment-layout.js';
import type { SlabSettings } from '../options/heap-options.js';

/** Bytes of one slab: the page map's unit. */
export const SLAB_BYTES = 4096;
/** Bitmap words per slab: one bit per block of the smallest class (16 bytes: 256 blocks). */
export const SLAB_WORDS = 8;
/** The fewest and the most slabs one new slab node holds. */
export const SLAB_NODE_MIN = 4;
export const SLAB_NODE_MAX = 64;

/**
 * The slabs of one heap: per slab its start, node, class (-1 for a slab no class uses), live
 * block count, free-block bitmap (bit set = free) with the index of its first word that may
 * have a free bit, and its links (the class's list of slabs with a free block, or the list of
 * unused slabs); per class the head of that list; and the page map.
 */
export class SlabTable {
  /** The size granule: max(16, alignment). Every class holds blocks of one size, a multiple of it. */
  readonly granule: number;
  /** log2 of {@link granule}. */
  readonly shift: number;
  /** Number of size classes (granule, 2 × granule, ... up to {@link limit}). */
  readonly classes: number;
  /** The largest size served from slabs (0 when no class exists). */
  readonly limit: number;
  /** Block size of each class. */
  readonly classSize: Int32Array;
  /** Blocks per slab of each class: floor(SLAB_BYTES / size). */
  readonly classBlocks: Int32Array;
  /** Per class: the first slab of its list of slabs that have a free block (NONE: none). */
  readonly partial: Int32Array;
  /** The virtual address the page map starts at (the heap's startAddress). */
  readonly base: number;

  /** Per slab: its first virtual address. */
  start = new Float64Array(0);
  /** Per slab: its node. */
  node = new Int32Array(0);
  /** Per slab: its class, or -1 when it is unused (free memory, in the unused list). */
  cls = new Int32Array(0);
  /** Per slab: how many of its blocks are live. */
  live = new Int32Array(0);
  /** Per slab: the first bitmap word that may hold a free bit (every word before it is 0). */
  hint = new Int32Array(0);
  /** Per slab: the next and the previous slab of its list (class list or unused list). */
  next = new Int32Array(0);
  prev = new Int32Array(0);
  /** Free-block bitmaps, {@link SLAB_WORDS} words per slab. */
  bits = new Int32Array(0);
  /** Slab ids in use: 0..capacity-1, those not assigned to a page are in {@link freeIds}. */
  private capacity = 0;
  private readonly freeIds: number[] = [];
  /** The first slab of the unused list (slabs of a slab node that no class uses). */
  unused = NONE;
  /** Slabs held by slab nodes (for the next slab node's size). */
  slabCount = 0;
  /** Slab id + 1 per SLAB_BYTES of virtual space from {@link base}; 0 outside every slab. */
  pageMap = new Int32Array(0);
  /** Bytes of virtual space the page map covers. */
  mapSpan = 0;

  /**
   * @param settings the resolved option.
   * @param alignment the heap's block alignment (the granule is at least it).
   * @param base the heap's first virtual address.
   */
  constructor(settings: SlabSettings, alignment: number, base: number) {
    this.granule = Math.max(16, alignment);
    this.shift = Math.log2(this.granule);
    this.classes = Math.floor(settings.maxBlockSize / this.granule);
    this.limit = this.classes * this.granule;
    this.classSize = new Int32Array(this.classes);
    this.classBlocks = new Int32Array(this.classes);
    for (let c = 0; c < this.classes; c++) {
      this.classSize[c] = (c + 1) * this.granule;
      this.classBlocks[c] = Math.floor(SLAB_BYTES / this.classSize[c]!);
    }
    this.partial = new Int32Array(this.classes).fill(NONE);
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

  /**
   * Whether the node starting at `start` is a slab node.
   * @param start a live node's first virtual address.
   */
  isSlabNode(start: number): boolean {
    return this.slabAt(start) !== NONE;
  }

  /**
   * The class of blocks of `n` bytes (`n` a multiple of the granule up to the limit).
   */
  classOf(n: number): number {
    return (n >> this.shift) - 1;
  }

  /**
   * Makes the page map cover `[base, end)` and the id columns hold `more` more slabs, so that
   * adding a slab node cannot fail halfway (call before mapping it).
   */
  reserve(end: number, more: number): void {
    const span = Math.ceil((end - this.base) / SLAB_BYTES) * SLAB_BYTES;
    if (span > this.mapSpan) {
      let length = Math.max(64, this.pageMap.length);
      while (length * SLAB_BYTES < span) length *= 2;
      if (length > this.pageMap.length) {
        const map = new Int32Array(length);
        map.set(this.pageMap);
        this.pageMap = map;
      }
      this.mapSpan = this.pageMap.length * SLAB_BYTES;
    }
    const needed = this.capacity - this.freeIds.length + more;
    if (needed > this.capacity) {
      let capacity = Math.max(64, this.capacity);
      while (capacity < needed) capacity *= 2;
      this.grow(capacity);
    }
  }

  /**
   * Adds a freshly mapped slab node: `slabs` unused slabs from `start` (call {@link reserve}
   * first).
   */
  addNode(node: number, start: number, slabs: number): void {
    const first = (start - this.base) / SLAB_BYTES;
    for (let j = slabs - 1; j >= 0; j--) {
      const s = this.takeId();
      this.start[s] = start + j * SLAB_BYTES;
      this.node[s] = node;
      this.cls[s] = -1;
      this.live[s] = 0;
      this.pageMap[first + j] = s + 1;
      this.pushUnused(s);
    }
    this.slabCount += slabs;
  }

  /**
   * Forgets an empty slab node's slabs (the caller unmaps the node): out of their lists, out
   * of the page map, their ids free.
   */
  dropNode(start: number, slabs: number): void {
    const first = (start - this.base) / SLAB_BYTES;
    for (let j = 0; j < slabs; j++) {
      const s = this.pageMap[first + j]! - 1;
      const c = this.cls[s]!;
      this.unlink(s, c < 0 ? NONE : c);
      this.pageMap[first + j] = 0;
      this.freeIds.push(s);
    }
    this.slabCount -= slabs;
  }

  /**
   * Gives unused slab `s` to class `c`: every block free, first in the class's list.
   */
  assign(s: number, c: number): void {
    this.unlink(s, NONE);
    this.cls[s] = c;
    this.live[s] = 0;
    this.hint[s] = 0;
    const blocks = this.classBlocks[c]!;
    const at = s * SLAB_WORDS;
    for (let w = 0; w < SLAB_WORDS; w++) {
      const from = w * 32;
      this.bits[at + w] = blocks >= from + 32 ? -1 : blocks <= from ? 0 : (1 << (blocks - from)) - 1;
    }
    this.pushPartial(s, c);
  }

  /** Returns empty slab `s` of class `c` to the unused list. */
  retire(s: number, c: number): void {
    this.unlink(s, c);
    this.cls[s] = -1;
    this.pushUnused(s);
  }

  /** Puts slab `s` first in class `c`'s list. */
  pushPartial(s: number, c: number): void {
    const head = this.partial[c]!;
    this.next[s] = head;
    this.prev[s] = NONE;
    if (head !== NONE) this.prev[head] = s;
    this.partial[c] = s;
  }

  /** Takes slab `s` out of class `c`'s list (c = NONE: out of the unused list). */
  unlink(s: number, c: number): void {
    const next = this.next[s]!;
    const prev = this.prev[s]!;
    if (prev !== NONE) this.next[prev] = next;
    else if (c === NONE) this.unused = next;
    else this.partial[c] = next;
    if (next !== NONE) this.prev[next] = prev;
    this.next[s] = NONE;
    this.prev[s] = NONE;
  }

  private pushUnused(s: number): void {
    const head = this.unused;
    this.next[s] = head;
    this.prev[s] = NONE;
    if (head !== NONE) this.prev[head] = s;
    this.unused = s;
  }

  /** Whether slab `s`'s block `index` is live. */
  isLiveBlock(s: number, index: number): boolean {
    return (this.bits[s * SLAB_WORDS + (index >> 5)]! & (1 << (index & 31))) === 0;
  }

  /**
   * The index of the live block of slab `s` that holds `address`, or -1 (a free block, the
   * slab's unused tail, an unused slab).
   */
  blockIndexAt(s: number, address: number): number {
    const c = this.cls[s]!;
    if (c < 0) return -1;
    const index = Math.floor((address - this.start[s]!) / this.classSize[c]!);
    return index < this.classBlocks[c]! && this.isLiveBlock(s, index) ? index : -1;
  }

  /** Forgets every slab (on destroy, after every node is unmapped). */
  clear(): void {
    this.partial.fill(NONE);
    this.pageMap.fill(0);
    this.freeIds.length = 0;
    for (let s = this.capacity - 1; s >= 0; s--) this.freeIds.push(s);
    this.unused = NONE;
    this.slabCount = 0;
  }

  /** Bytes of the slab columns and the page map. */
  get metadataBytes(): number {
    return this.capacity * BYTES_PER_SLAB + this.pageMap.byteLength + this.classes * 12;
  }

  private takeId(): number {
    return this.freeIds.pop()!;
  }

  private grow(capacity: number): void {
    const old = this.capacity;
    const start = new Float64Array(capacity);
    start.set(this.start);
    this.start = start;
    this.node = extend(this.node, capacity);
    this.cls = extend(this.cls, capacity);
    this.live = extend(this.live, capacity);
    this.hint = extend(this.hint, capacity);
    this.next = extend(this.next, capacity);
    this.prev = extend(this.prev, capacity);
    this.bits = extend(this.bits, capacity * SLAB_WORDS);
    for (let s = capacity - 1; s >= old; s--) this.freeIds.push(s);
    this.capacity = capacity;
  }
}

/** Bytes of one slab's columns: start (8), node, class, live, hint, next, prev (6 × 4), bitmap. */
const BYTES_PER_SLAB = 8 + 6 * 4 + SLAB_WORDS * 4;

function extend(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(length);
  grown.set(array);
  return grown;
}
