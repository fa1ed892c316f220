// @mems/core/internal: what @mems/api (and the bench) build on that is not the heap's public
// surface: shared table memory, the option resolver, and the calls around a shared heap's
// locked session. No semver promise: it changes with @mems/api.

import type { Heap } from './heap.js';
import { SHARED_CALLS, THREAD_CACHE_CALLS } from './heap-state.js';
import {
  flushThreadCaches as flushCaches,
  repairThreadCaches as repairCaches,
  ThreadCache,
  type ThreadCacheRepair,
} from './ops/thread-cache.js';
import type { ThreadCacheTable } from './tables/thread-cache-table.js';

export { SharedTableMemory } from './memory/shared-table-memory.js';
export {
  HEAP_OPERATIONS,
  HEAP_OPTION_TABLE,
  type HeapOptionDeclaration,
  type ResolveContext,
  type SharedOptionCodec,
} from './options/option-table.js';
export { resolveHeapOptions } from './options/resolve-options.js';
export type { SharedTableStorage } from './tables/heap-tables.js';
export type { MappingResolver } from './tables/node-table.js';

/**
 * Starts a call on a heap made with shared storage (`new Heap(options, call, surface, shared)`),
 * with the caller's lock held: reads every table's scalars from shared memory, then re-makes
 * this thread's views when another thread moved a table region since.
 * @param heap a heap made with shared storage.
 * @throws Error when the heap was not made with shared storage.
 */
export function beginSharedCall(heap: Heap): void {
  heap[SHARED_CALLS].beginSharedCall();
}

/**
 * Ends a call started by {@link beginSharedCall}: writes every table's scalars back to shared
 * memory (before the caller releases its lock).
 * @param heap the same heap.
 * @throws Error when the heap was not made with shared storage.
 */
export function endSharedCall(heap: Heap): void {
  heap[SHARED_CALLS].saveState();
}

/**
 * Writes the scalars of a heap just made with shared storage, so that other threads can attach
 * to it (call once, from the creating thread, before handing out the storage).
 * @param heap a heap made with shared storage.
 * @throws Error when the heap was not made with shared storage.
 */
export function publishSharedState(heap: Heap): void {
  heap[SHARED_CALLS].saveState();
}

export { THREAD_CACHE_CALLS, type ThreadCacheHooks } from './heap-state.js';
export {
  forgetThreadCaches,
  ThreadCache,
  type ThreadCacheRepair,
} from './ops/thread-cache.js';

/**
 * Opens this thread's cache over a heap shared by threads (marks the heap as one whose hash may
 * hold other threads' cached blocks).
 * @param heap this thread's heap object (no front cache, no slabs).
 * @param table the heap's thread caches.
 * @param slot this thread's slot (from `table.claim()`).
 * @returns the cache.
 * @throws Error for a heap with a front cache or slabs.
 */
export function openThreadCache(heap: Heap, table: ThreadCacheTable, slot: number): ThreadCache {
  return new ThreadCache(heap[THREAD_CACHE_CALLS], table, slot);
}

/**
 * Marks a heap as one whose live-block hash may hold thread caches' blocks (a thread object
 * without a cache slot of its own: its `free` must still refuse them).
 * @param heap this thread's heap object.
 * @throws Error for a heap with a front cache or slabs.
 */
export function acceptThreadCaches(heap: Heap): void {
  void heap[THREAD_CACHE_CALLS];
}

/**
 * Inside a locked call: frees every thread's cached blocks through the normal path.
 * @param heap this thread's heap object.
 * @param table the heap's thread caches.
 * @returns the number of blocks freed.
 */
export function flushThreadCaches(heap: Heap, table: ThreadCacheTable): number {
  return flushCaches(heap[THREAD_CACHE_CALLS], table);
}

/**
 * Inside a locked call, every busy flag cleared: mends what a thread that died inside a cache
 * operation left half done, then flushes every cache.
 * @param heap this thread's heap object.
 * @param table the heap's thread caches.
 * @returns what was mended.
 */
export function repairThreadCaches(heap: Heap, table: ThreadCacheTable): ThreadCacheRepair {
  return repairCaches(heap[THREAD_CACHE_CALLS], table);
}
export {
  CLOSED as THREAD_CACHES_CLOSED,
  type ThreadCacheSettings,
  ThreadCacheTable,
} from './tables/thread-cache-table.js';
