/**
 * `@mems/api`: the seed's C-like surface (`mems_init`, `mems_malloc`, `mems_free`, `mems_get`,
 * `mems_print_stats`, `mems_finish`, plus calloc, realloc, views, typed arrays, memoryOf, trim, freeAll, stats and validate)
 * over one process-wide heap, `createMems()` for independent heaps, and `createSharedMems()` /
 * `attachMems()` for one heap that every worker thread uses. Browser-safe: no Node
 * built-in is imported; the default provider is chosen by `@mems/os`.
 * @packageDocumentation
 */
export {
  type BlockMemory,
  type HeapCounters,
  HeapInvariantError,
  type HeapSnapshot,
  type NodeSnapshot,
  type PlacementPolicyFactory,
  type PolicyName,
  type SegmentKind,
  type SegmentSnapshot,
  type TypedArrayConstructor,
} from '@mems/core';
export { isMemsError, type Mapping, MemsError, type MemsErrorCode, type PageProvider } from '@mems/os';
export { createMems } from './create-mems.js';
export {
  mems_calloc,
  mems_calloc_as,
  mems_finish,
  mems_free,
  mems_free_all,
  mems_get,
  mems_init,
  mems_malloc,
  mems_malloc_as,
  mems_memory_of,
  mems_print_stats,
  mems_realloc,
  mems_stats,
  mems_trim,
  mems_usable_size,
  mems_validate,
  mems_view,
  mems_view_as,
} from './globals.js';
export type { Mems, TypedArray } from './mems.js';
export type { MemsOptions } from './mems-options.js';
export {
  attachMems,
  createSharedMems,
  type SharedMems,
  type SharedMemsHandle,
  type SharedMemsOptions,
} from './shared-mems.js';
