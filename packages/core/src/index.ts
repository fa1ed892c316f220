export { isMemsError, type Mapping, MemsError, type MemsErrorCode, type PageProvider } from '@mems/os';
export type { BlockMemory } from './block-views.js';
export type { FrontCacheSettings } from './front-cache.js';
export { createHeap, describeArgument, Heap, type TypedArrayConstructor } from './heap.js';
export { HeapInvariantError } from './heap-invariant-error.js';
export {
  FRONT_CACHE_DEFAULTS,
  type FrontCacheOptions,
  HEAP_OPTION_NAMES,
  type HeapOperation,
  type HeapOptionSurface,
  type HeapOptions,
  type ResolvedHeapOptions,
  resolveHeapOptions,
} from './heap-options.js';
export type { SharedTableStorage } from './heap-tables.js';
export type { MappingResolver } from './node-table.js';
export { BestFitPolicy, bestFit } from './policies/best-fit.js';
export { FirstFitPolicy, firstFit } from './policies/first-fit.js';
export { type HoleRecords, NO_HOLE, type PolicyLink } from './policies/hole-records.js';
export { POLICIES, POLICY_NAMES, type PolicyName } from './policies/index.js';
export { LINK_STRIDE } from './policies/link-words.js';
export { NextFitPolicy, nextFit } from './policies/next-fit.js';
export type { PlacementPolicy, PlacementPolicyFactory } from './policies/placement-policy.js';
export { TlsfPolicy, tlsf } from './policies/tlsf.js';
export { SharedTableMemory } from './shared-table-memory.js';
export type { HeapCounters, HeapSnapshot, NodeSnapshot, SegmentKind, SegmentSnapshot } from './snapshot.js';
export {
  hasSharedState,
  PlainTableMemory,
  plainMemory,
  type SharedTableState,
  type TableArrayType,
  type TableMemory,
  viewOf,
} from './table-memory.js';
