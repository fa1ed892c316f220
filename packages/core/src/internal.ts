// @mems/core/internal: what @mems/api (and the bench) build on that is not the heap's public
// surface: shared table memory, the option resolver, and the calls around a shared heap's
// locked session. No semver promise: it changes with @mems/api.

import type { Heap } from './heap.js';
import { SHARED_CALLS } from './heap-state.js';

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
  checkThreadCachesEmpty,
  flushThreadCaches,
  forgetThreadCaches,
  repairThreadCaches,
  ThreadCache,
  type ThreadCacheRepair,
} from './ops/thread-cache.js';
export {
  CLOSED as THREAD_CACHES_CLOSED,
  type ThreadCacheSettings,
  ThreadCacheTable,
} from './tables/thread-cache-table.js';
