// The front cache's operations: cache a freed block, take one back, flush them all through the
// normal free-and-merge path. Like ops/sub-chain.ts, they index segment records directly (the
// layout is in memory/segment-layout.ts), for the hot path's sake.
//
// Every view treats a cached block as free memory: the raw counters in the table count it as
// live (taking and caching a block leave them alone; read/counters.ts moves the cache's totals),
// and read/ merges it with its free neighbours as a flush would. `flushCache` frees every cached
// block through the normal path (before trim, before mapping a node, before realloc grows into
// a free neighbour).

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
} from '../memory/segment-layout.js';
import type { FrontCache } from '../tables/front-cache-table.js';
import type { HeapTables } from '../tables/heap-tables.js';
import { freeBlock } from './sub-chain.js';

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
  if (size > cache.limit || size <= cache.slabLimit || cache.bytes + size > cache.maxBytes) return false;
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
  for (let c = 0; c < cache.classes; c++) {
    const base = c * cache.perClass;
    for (let i = cache.tops[c]! - 1; i >= 0; i--) {
      const block = cache.stacks[base + i]!;
      cache.stacks[base + i] = NONE;
      releaseCached(t, block);
    }
    cache.tops[c] = 0;
  }
  cache.bytes = 0;
  cache.blocks = 0;
}

/**
 * Frees, through the normal path, the cached blocks in the free run right after `block` (the
 * holes and cached blocks that follow it in its sub-chain, up to the next live block), so that
 * the run is one hole that `block` can grow into; every other cached block stays cached. A
 * realloc that grows a block flushed the whole cache for this before: on a realloc-heavy trace
 * (git-log) that flush took about 5% of the time. The visible heap does not change.
 * @param t the heap's tables.
 * @param cache its front cache.
 * @param block a live block.
 */
export function uncacheRunAfter(t: HeapTables, cache: FrontCache, block: number): void {
  const segments = t.segments;
  const run: number[] = [];
  for (let seg = segments.next(block); seg !== NONE; seg = segments.next(seg)) {
    const kind = segments.kind(seg);
    if (kind === CACHED) run.push(seg);
    else if (kind !== HOLE) break;
  }
  for (const seg of run) {
    dropFromClass(cache, seg, segments.size(seg));
    releaseCached(t, seg);
  }
}

/** Takes cached block `seg` of `size` bytes out of its class's stack (the order of the rest kept). */
function dropFromClass(cache: FrontCache, seg: number, size: number): void {
  const c = (size >> cache.shift) - 1;
  const base = c * cache.perClass;
  const top = cache.tops[c]! - 1;
  let i = top;
  while (cache.stacks[base + i] !== seg) i--;
  cache.stacks.copyWithin(base + i, base + i + 1, base + top + 1);
  cache.stacks[base + top] = NONE;
  cache.tops[c] = top;
  cache.bytes -= size;
  cache.blocks--;
}

/** Frees a block that has left the cache's stacks: out of the hash, merged with its free neighbours. */
function releaseCached(t: HeapTables, block: number): void {
  const segments = t.segments;
  t.live.delete(segments.start(block));
  // Back to a live block (the raw counters still count it as one), so that freeBlock's
  // accounting applies once.
  segments.setKind(block, PROCESS);
  t.nodes.liveCount[segments.node(block)]!++;
  freeBlock(t, block);
}
