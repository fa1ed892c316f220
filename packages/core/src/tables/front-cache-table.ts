// The front cache's table: per-size-class LIFO stacks of the segment ids of freed small blocks
// (glibc's tcache), in regions of the heap's TableMemory, and its two scalars (cached bytes and
// blocks). A cached block stays in its sub-chain and in the live-block hash, marked CACHED.
// The operations that move blocks in and out are in ops/cache-ops.ts; the views that show a
// cached block as free memory are in read/ (counters.ts, lookup.ts, snapshot.ts), its check in
// read/check-cache.ts.

import { NONE } from '../memory/segment-layout.js';
import type { SharedTableState, TableMemory } from '../memory/table-memory.js';
import { viewOf } from '../memory/table-memory.js';
import type { FrontCacheSettings } from '../options/heap-options.js';

/** The size-class granule: sizes up to the cache's limit round up to a multiple of it. */
export const CACHE_GRANULE = 16;

/**
 * The front cache of one heap: `classes` LIFO stacks of segment ids, one per block size
 * (granule, 2 × granule, ... up to {@link FrontCache.limit}), in regions of the heap's
 * {@link TableMemory}; its two scalars (cached bytes and blocks) join a shared heap's saved
 * state.
 */
export class FrontCache implements SharedTableState {
  /** The size granule: max(16, alignment). Every class holds blocks of one size, a multiple of it. */
  readonly granule: number;
  /** log2 of {@link granule}. */
  readonly shift: number;
  /** Number of size classes. */
  readonly classes: number;
  /** The largest cached size: classes × granule (0 when no class exists). */
  readonly limit: number;
  /** Blocks per class, at most. */
  readonly perClass: number;
  /** Bytes in the cache, at most. */
  readonly maxBytes: number;
  /**
   * Blocks of up to this size are never cached: the heap's slab limit (such sizes are served
   * from slabs; a block of that size outside them is freed at once). 0 without slabs.
   */
  slabLimit = 0;
  /** Ids by class: class c's stack is `stacks[c * perClass ..]`, top at `tops[c] - 1`. */
  stacks!: Int32Array;
  /** How many blocks each class holds. */
  tops!: Int32Array;
  /** Bytes held by cached blocks. */
  bytes = 0;
  /** Number of cached blocks. */
  blocks = 0;
  private readonly stacksRegion: number;
  private readonly topsRegion: number;

  /**
   * @param memory the heap's table memory.
   * @param settings the resolved option.
   * @param alignment the heap's block alignment (the granule is at least it).
   */
  constructor(
    private readonly memory: TableMemory,
    settings: FrontCacheSettings,
    alignment: number,
  ) {
    this.granule = Math.max(CACHE_GRANULE, alignment);
    this.shift = Math.log2(this.granule);
    this.classes = Math.floor(settings.maxBlockSize / this.granule);
    this.limit = this.classes * this.granule;
    this.perClass = settings.blocksPerClass;
    this.maxBytes = settings.maxBytes;
    this.stacksRegion = memory.allocate(Math.max(8, roundTo8(this.classes * this.perClass * 4)), NONE);
    this.topsRegion = memory.allocate(Math.max(8, roundTo8(this.classes * 4)));
    this.rebind();
  }

  /** Re-makes the stacks' views from their regions. */
  rebind(): void {
    this.stacks = viewOf(this.memory, this.stacksRegion, Int32Array);
    this.tops = viewOf(this.memory, this.topsRegion, Int32Array);
  }

  /** Scalars: cached bytes and blocks. */
  readonly stateSlots = 2;

  saveState(state: Float64Array, at: number): void {
    state[at] = this.bytes;
    state[at + 1] = this.blocks;
  }

  loadState(state: Float64Array, at: number): void {
    this.bytes = state[at]!;
    this.blocks = state[at + 1]!;
  }

  /** Forgets every cached block (on destroy, after every node is unmapped). */
  clear(): void {
    this.tops.fill(0);
    this.stacks.fill(NONE);
    this.bytes = 0;
    this.blocks = 0;
  }

  /** Bytes of the stacks. */
  get metadataBytes(): number {
    return this.stacks.byteLength + this.tops.byteLength;
  }

  /** Every cached segment id, class by class, bottom of each stack first. */
  ids(): number[] {
    const out: number[] = [];
    for (let c = 0; c < this.classes; c++)
      for (let i = 0; i < this.tops[c]!; i++) out.push(this.stacks[c * this.perClass + i]!);
    return out;
  }
}

function roundTo8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}
