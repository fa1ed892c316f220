// The front cache: per-size-class LIFO stacks of freed small blocks (the tcache of glibc, the
// issue's prototype). A freed block that fits a class and the byte budget waits in its class as
// a CACHED segment instead of going through free-and-merge; the next allocation of that class
// takes it back with no policy call and no hash insert (a cached block stays in the live-block
// hash, marked CACHED, so every lookup tells it from a live block).
//
// Every view treats a cached block as free memory: the counters shown count its bytes as free
// at once (the raw counters in the table count it as live: taking and caching a block leave them
// alone, and visibleCounters moves the cache's totals), and snapshot.ts and heap-errors.ts merge it with its free neighbours as a flush would.
// `flushCache` frees every cached block through the normal path (before trim, before mapping a
// node, before realloc grows into a free neighbour).

import { describeCounters } from './heap-counters.js';
import type { HeapTables } from './heap-tables.js';
import { freeBlock } from './hot-path.js';
import {
  CACHED,
  DOUBLES_PER_RECORD as D,
  HOLE,
  NONE,
  OWNER_AND_KIND,
  PROCESS,
  SIZE,
  START,
  WORDS_PER_RECORD as W,
} from './segment-layout.js';
import type { HeapCounters } from './snapshot.js';
import type { SharedTableState, TableMemory } from './table-memory.js';
import { viewOf } from './table-memory.js';

/** The front cache's settings, resolved (see the `frontCache` heap option). */
export interface FrontCacheSettings {
  /** The largest block size the cache keeps, in bytes (a multiple of 16). */
  readonly maxBlockSize: number;
  /** How many blocks one size class holds at most. */
  readonly blocksPerClass: number;
  /** How many bytes all classes together hold at most. */
  readonly maxBytes: number;
}

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

/**
 * Takes a cached block of exactly `n` bytes (`n` a multiple of the granule up to the limit).
 * @returns its start address, or -1 when its class is empty.
 */
export function takeCached(t: HeapTables, cache: FrontCache, n: number): number {
  const c = (n >> cache.shift) - 1;
  const top = cache.tops[c]! - 1;
  if (top < 0) return -1;
  cache.tops[c] = top;
  const block = cache.stacks[c * cache.perClass + top]!;
  const words = t.segments.words;
  const ownerAndKind = words[W * block + OWNER_AND_KIND]!;
  words[W * block + OWNER_AND_KIND] = ownerAndKind ^ (CACHED ^ PROCESS);
  cache.bytes -= n;
  cache.blocks--;
  t.nodes.liveCount[ownerAndKind >> 2]!++;
  return t.segments.doubles[D * block + START]!;
}

/**
 * The cached block an allocation of `n` bytes would take, without taking it.
 * @returns its segment id, or NONE.
 */
export function peekCached(cache: FrontCache, n: number): number {
  if (n > cache.limit || n % cache.granule !== 0) return NONE;
  const c = (n >> cache.shift) - 1;
  const top = cache.tops[c]!;
  return top === 0 ? NONE : cache.stacks[c * cache.perClass + top - 1]!;
}

/**
 * Puts live `block` (still in the live-block hash) into its class when it fits a class, the
 * class has room and the byte budget allows; it then counts as free memory.
 * @returns whether it was cached (false: nothing changed).
 */
export function cacheBlock(t: HeapTables, cache: FrontCache, block: number): boolean {
  const words = t.segments.words;
  const size = t.segments.unsignedWords[W * block + SIZE]!;
  if (size > cache.limit || cache.bytes + size > cache.maxBytes) return false;
  const c = (size >> cache.shift) - 1;
  const top = cache.tops[c]!;
  if (top === cache.perClass) return false;
  cache.stacks[c * cache.perClass + top] = block;
  cache.tops[c] = top + 1;
  cache.bytes += size;
  cache.blocks++;
  const ownerAndKind = words[W * block + OWNER_AND_KIND]!;
  words[W * block + OWNER_AND_KIND] = ownerAndKind ^ (PROCESS ^ CACHED);
  t.nodes.liveCount[ownerAndKind >> 2]!--;
  return true;
}

/**
 * Frees every cached block through the normal path (out of the hash, merged with its free
 * neighbours, into the policy's index). The visible heap does not change.
 */
export function flushCache(t: HeapTables, cache: FrontCache): void {
  if (cache.blocks === 0) return;
  const segments = t.segments;
  for (let c = 0; c < cache.classes; c++) {
    const base = c * cache.perClass;
    for (let i = cache.tops[c]! - 1; i >= 0; i--) {
      const block = cache.stacks[base + i]!;
      cache.stacks[base + i] = NONE;
      t.live.delete(segments.start(block));
      // Back to a live block (the raw counters still count it as one), so that freeBlock's
      // accounting applies once.
      segments.setKind(block, PROCESS);
      t.nodes.liveCount[segments.node(block)]!++;
      freeBlock(t, block);
    }
    cache.tops[c] = 0;
  }
  cache.bytes = 0;
  cache.blocks = 0;
}

/** Whether segment `seg` (or NONE) is free memory: a HOLE or a CACHED block. */
export function isFreeSegment(t: HeapTables, seg: number): boolean {
  if (seg === NONE) return false;
  const kind = t.segments.kind(seg);
  return kind === HOLE || kind === CACHED;
}

/**
 * The free run around free segment `seg` (a hole or a cached block): the holes and cached
 * blocks beside it, as a flush would merge them.
 * @returns the run's first and last segment ids.
 */
export function freeRunAround(t: HeapTables, seg: number): { first: number; last: number } {
  const segments = t.segments;
  let first = seg;
  while (isFreeSegment(t, segments.prev(first))) first = segments.prev(first);
  let last = seg;
  while (isFreeSegment(t, segments.next(last))) last = segments.next(last);
  return { first, last };
}

/**
 * The counters the heap shows: the raw counters (which count a cached block as live, so that
 * the hot path leaves them alone) with every cached block moved to free memory, and each free
 * run that holds a cached block counted as one hole and one segment, as a flush would leave
 * them. O(1) without cached blocks, else O(cached blocks + their runs).
 * @param t the heap's tables.
 * @param pageSize the heap's page size.
 * @returns the counters.
 */
export function visibleCounters(t: HeapTables, pageSize: number): HeapCounters {
  const counters = describeCounters(t.count, pageSize, t.nodes.count);
  const cache = t.cache;
  if (cache === null || cache.blocks === 0) return counters;
  let holes = counters.holes;
  let segments = counters.segments;
  const seen = new Set<number>();
  const S = t.segments;
  for (const id of cache.ids()) {
    if (seen.has(id)) continue;
    const { first, last } = freeRunAround(t, id);
    let length = 0;
    let holesInRun = 0;
    for (let seg = first; ; seg = S.next(seg)) {
      length++;
      if (S.kind(seg) === HOLE) holesInRun++;
      else seen.add(seg);
      if (seg === last) break;
    }
    segments -= length - 1;
    holes -= holesInRun - 1;
  }
  return {
    ...counters,
    bytesInUse: counters.bytesInUse - cache.bytes,
    bytesFree: counters.bytesFree + cache.bytes,
    liveBlocks: counters.liveBlocks - cache.blocks,
    holes,
    segments,
  };
}

/**
 * Checks the cache's own invariants: every cached id is a CACHED record found by the
 * live-block hash, of its class's size, once; the byte and block totals match; each class and
 * the budget are respected.
 * @returns the first broken invariant, or null.
 */
export function checkCache(t: HeapTables, cache: FrontCache): string | null {
  const S = t.segments;
  const seen = new Set<number>();
  let bytes = 0;
  for (let c = 0; c < cache.classes; c++) {
    const top = cache.tops[c]!;
    if (top < 0 || top > cache.perClass)
      return `front cache: class ${c} holds ${top} blocks (at most ${cache.perClass})`;
    const size = (c + 1) * cache.granule;
    for (let i = 0; i < top; i++) {
      const id = cache.stacks[c * cache.perClass + i]!;
      const at = `front cache: class ${c} (${size} bytes), entry ${i} (id ${id})`;
      if (!(id >= 0 && id < S.capacity)) return `${at} is not a segment id`;
      if (seen.has(id)) return `${at} is cached twice`;
      seen.add(id);
      if (S.kind(id) !== CACHED) return `${at} is not a CACHED record`;
      if (S.size(id) !== size) return `${at} has size ${S.size(id)}`;
      if (t.live.get(S.start(id)) !== id) return `${at} is missing from the live-block hash`;
      bytes += size;
    }
  }
  if (seen.size !== cache.blocks)
    return `front cache counts ${cache.blocks} blocks, its classes hold ${seen.size}`;
  if (bytes !== cache.bytes) return `front cache counts ${cache.bytes} bytes, its classes hold ${bytes}`;
  if (bytes > cache.maxBytes) return `front cache holds ${bytes} bytes, over its budget of ${cache.maxBytes}`;
  return null;
}
