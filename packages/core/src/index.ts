export { isMemsError, type Mapping, MemsError, type MemsErrorCode, type PageProvider } from '@mems/os';
export { HeapInvariantError } from './errors/heap-invariant-error.js';
export { createHeap, describeArgument, Heap, type TypedArrayConstructor } from './heap.js';
export {
  hasSharedState,
  PlainTableMemory,
  plainMemory,
  type SharedTableState,
  type TableArrayType,
  type TableMemory,
  viewOf,
} from './memory/table-memory.js';
export type { FrontCacheSettings, SlabSettings } from './options/heap-options.js';
export {
  FRONT_CACHE_DEFAULTS,
  type FrontCacheOptions,
  type HeapOperation,
  type HeapOptionSurface,
  type HeapOptions,
  type ResolvedHeapOptions,
  SLAB_DEFAULTS,
  type SlabOptions,
} from './options/heap-options.js';
export { HEAP_OPTION_NAMES } from './options/option-table.js';
export { BestFitPolicy, bestFit } from './policies/best-fit.js';
export { FirstFitPolicy, firstFit } from './policies/first-fit.js';
export { type HoleRecords, NO_HOLE, type PolicyLink } from './policies/hole-records.js';
export { POLICIES, POLICY_NAMES, type PolicyName } from './policies/index.js';
export { LINK_STRIDE } from './policies/link-words.js';
export { NextFitPolicy, nextFit } from './policies/next-fit.js';
export type { PlacementPolicy, PlacementPolicyFactory } from './policies/placement-policy.js';
export { TlsfPolicy, tlsf } from './policies/tlsf.js';
export { type TlsfSizeClass, tlsfClass } from './policies/tlsf-size-class.js';
export type { BlockMemory } from './read/block-views.js';
export type {
  HeapCounters,
  HeapSnapshot,
  NodeSnapshot,
  SegmentKind,
  SegmentSnapshot,
} from './read/snapshot-types.js';
export { slabClassSizes } from './tables/slab-table.js';
