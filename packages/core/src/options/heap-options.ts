// The heap's options as users write them, the resolved form the heap keeps, and their
// defaults. Reading and checking them is in resolve-options.ts.

import type { PageProvider } from '@mems/os';
import type { PolicyName } from '../policies/index.js';
import type { PlacementPolicyFactory } from '../policies/placement-policy.js';

/** The operations of a heap whose names appear in error messages. */
export type HeapOperation =
  | 'allocate'
  | 'free'
  | 'translate'
  | 'view'
  | 'viewAs'
  | 'memoryOf'
  | 'calloc'
  | 'realloc'
  | 'usableSize'
  | 'trim'
  | 'snapshot'
  | 'validate'
  | 'destroy'
  | 'counters';

/** Options of {@link createHeap}. Every one has a default that keeps the seed's behaviour. */
export interface HeapOptions {
  /** Where pages come from. Default: `createDefaultProvider()` (mmap on Node, mock elsewhere). */
  provider?: PageProvider;
  /** Heap page size in bytes: a multiple or a divisor of the provider's page size. Default 4096. */
  pageSize?: number;
  /** The first MeMS virtual address: a non-negative safe integer. Default 1000. */
  startAddress?: number;
  /** Placement policy: a built-in name or a factory of your own. Default `'first-fit'`. */
  policy?: PolicyName | PlacementPolicyFactory;
  /** Block alignment: a power of two up to the provider's page size; sizes are rounded up to it. Default 1 (the seed's byte-exact addresses). */
  alignment?: number;
  /** The fewest pages a new node maps (growth): a positive integer. Default 1, the seed's ceil(size / pageSize). */
  minNodePages?: number;
  /** Return a node to the provider as soon as its last block is freed. Default false (the seed keeps nodes). */
  autoTrim?: boolean;
  /**
   * The front cache: freed small blocks wait in per-size LIFO classes and the next allocation
   * of their size takes them back without a policy call. `true` for the defaults, an object to
   * set some, `false` for none. Only for the `tlsf` and `best-fit` policies (first and next fit
   * place by address order, which the seed's output depends on). Default: on for `tlsf` and
   * `best-fit`, off for the others. Sizes up to `maxBlockSize` then round up to 16 bytes (or the
   * alignment when larger). Invisible in every view: a cached block is free memory.
   */
  frontCache?: boolean | FrontCacheOptions;
  /**
   * Slabs: blocks up to `maxBlockSize` come from 4 KiB slabs of one size class each, in nodes
   * of their own (slab nodes), found by a page map instead of the live-block hash: a malloc is
   * a bit scan and a free a bit set. `true` for the defaults, `{ maxBlockSize }` to set it,
   * `false` for none. Sizes up to it round up to 16 bytes (or the alignment when larger). Any
   * policy; needs a `pageSize` that is a multiple of 4096, and a heap of one thread (a shared
   * heap refuses it). Default false. Invisible in every view: a slab's free blocks are holes.
   */
  slabs?: boolean | SlabOptions;
  /** Names used for operations in error messages, for layers that present other names. */
  callNames?: Partial<Record<HeapOperation, string>>;
}

/** The `frontCache` option's settings, each optional (defaults in {@link FRONT_CACHE_DEFAULTS}). */
export interface FrontCacheOptions {
  /** The largest block size the cache keeps: a multiple of 16 from 16 to 16384. Default 1024. */
  maxBlockSize?: number;
  /** The most blocks one size class keeps: an integer from 1 to 1024. Default 64. */
  blocksPerClass?: number;
  /** The most bytes all classes keep together: an integer from 0 to 2^32. Default 262144 (256 KiB). */
  maxBytes?: number;
}

/** The `slabs` option's settings. */
export interface SlabOptions {
  /** The largest block size served from slabs: a multiple of 16 from 16 to 8192. Default 1024. */
  maxBlockSize?: number;
}

/** The slabs' settings, resolved (see the `slabs` heap option). */
export interface SlabSettings {
  /** The largest block size served from slabs, in bytes (a multiple of 16). */
  readonly maxBlockSize: number;
}

/** The slabs' defaults: classes of 16 B up to 1024 B. */
export const SLAB_DEFAULTS: SlabSettings = Object.freeze({ maxBlockSize: 1024 });

/** The front cache's settings, resolved (see the `frontCache` heap option). */
export interface FrontCacheSettings {
  /** The largest block size the cache keeps, in bytes (a multiple of 16). */
  readonly maxBlockSize: number;
  /** How many blocks one size class holds at most. */
  readonly blocksPerClass: number;
  /** How many bytes all classes together hold at most. */
  readonly maxBytes: number;
}

/** The front cache's defaults: classes of 16 B up to 1024 B, 64 blocks each, 256 KiB in all. */
export const FRONT_CACHE_DEFAULTS: FrontCacheSettings = Object.freeze({
  maxBlockSize: 1024,
  blocksPerClass: 64,
  maxBytes: 256 * 1024,
});

/** The options after validation, with defaults applied. */
export interface ResolvedHeapOptions {
  /** The page provider. */
  readonly provider: PageProvider;
  /** Heap page size in bytes. */
  readonly pageSize: number;
  /** The first virtual address. */
  readonly startAddress: number;
  /** The policy factory. */
  readonly policy: PlacementPolicyFactory;
  /** The block alignment. */
  readonly alignment: number;
  /** The fewest pages per new node. */
  readonly minNodePages: number;
  /** Whether empty nodes are unmapped at once. */
  readonly autoTrim: boolean;
  /** The front cache's settings, or null when it is off. */
  readonly frontCache: FrontCacheSettings | null;
  /** The slabs' settings, or null when they are off. */
  readonly slabs: SlabSettings | null;
  /** Names of operations for error messages. */
  readonly callNames: Readonly<Record<HeapOperation, string>>;
}

/**
 * What the heap reads from its provider, read once at creation (a provider's members are
 * `readonly` by contract, so later reads would only give a getter the chance to throw).
 */
export interface ProviderFacts {
  /** The provider's `name`. */
  readonly name: string;
  /** The provider's `pageSize`: a power of two. */
  readonly pageSize: number;
  /** The provider's `maxMappingBytes`: a safe integer of at least `pageSize`. */
  readonly maxMappingBytes: number;
}

/**
 * How a layer above the heap presents the heap's options as its own (`@mems/api`'s `mems_init`
 * and `createMems`): which option names its callers may pass, how it words a `null` option, and
 * the operation names it sets itself. With a surface, the heap reads, checks and resolves the
 * caller's options once, for both layers.
 */
export interface HeapOptionSurface {
  /** The option names the caller may pass, in documentation order (a subset of {@link HEAP_OPTION_NAMES}). */
  readonly optionNames: readonly (keyof HeapOptions)[];
  /** What an `option x = null` error tells the caller to do instead. */
  readonly nullHint: string;
  /** The operation names for error messages (not read from the caller's options). */
  readonly callNames: Readonly<Record<HeapOperation, string>>;
}
