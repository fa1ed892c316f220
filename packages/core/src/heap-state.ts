import { describeValue, type PageProvider } from '@mems/os';
import { stateError } from './errors/call-errors.js';
import { type RetainMapping, retainOf } from './memory/page-buffers.js';
import { plainMemory } from './memory/table-memory.js';
import { largestNode, promisesZeroedPages } from './ops/node-life.js';
import type { ThreadCacheHooks } from './ops/thread-cache.js';
import type { HeapOptionSurface, HeapOptions, ResolvedHeapOptions } from './options/heap-options.js';
import { resolveHeapOptionsAndProvider } from './options/resolve-options.js';
import { HeapTables, type SharedTableStorage } from './tables/heap-tables.js';

export type { ThreadCacheHooks } from './ops/thread-cache.js';

export type { SharedTableStorage } from './tables/heap-tables.js';

/**
 * The key of a heap's shared-call hooks: a registered symbol, so that it is the same in every
 * copy of this module (the ESM and CommonJS builds of each entry point).
 */
export const SHARED_CALLS: unique symbol = Symbol.for('@mems/core/shared-calls');

/** The key of a heap's thread-cache hooks (see {@link ThreadCacheHooks}): a registered symbol too. */
export const THREAD_CACHE_CALLS: unique symbol = Symbol.for('@mems/core/thread-cache-calls');

/** What a heap shared by threads needs of its tables around each call (see HeapTables). */
export interface SharedCallHooks {
  /** Reads every table's scalars, re-binding views that another thread moved. */
  beginSharedCall(): void;
  /** Writes every table's scalars back. */
  saveState(): void;
}

/**
 * What a {@link Heap} holds besides its story: the options resolved once at creation, the
 * tables, the facts read once from the provider, and the state flags with the re-entry guard
 * (a call made while the heap is inside its provider's `map` or `unmap` is `ESTATE`). The
 * heap's operations live in heap.ts; this base class only owns state.
 */
export abstract class HeapState {
  /** The resolved options (provider, pageSize, startAddress, policy, alignment, ...). */
  readonly options: ResolvedHeapOptions;
  protected readonly t: HeapTables;
  protected readonly provider: PageProvider;
  /** The provider's `retain`, bound, or null when it has none (see `PageProvider.retain`). */
  protected readonly retainMapping: RetainMapping | null;
  protected readonly names: ResolvedHeapOptions['callNames'];
  protected readonly pageSize: number;
  protected readonly alignMask: number;
  /** `options.autoTrim`, read on every free. */
  protected readonly autoTrim: boolean;
  protected readonly maxNodeBytes: number;
  /** The largest size the front cache keeps (0 without a cache): sizes up to it round to the granule. */
  protected readonly cacheLimit: number;
  /** The largest size served from slabs (0 without slabs). */
  protected readonly slabLimit: number;
  /** The front cache's size granule − 1. */
  protected readonly granuleMask: number;
  /** The provider's page size and name, read once at creation. */
  protected readonly osPageSize: number;
  protected readonly providerName: string;
  /** Whether the provider promises zero-filled mappings (`PageProvider.zeroed`). */
  protected readonly zeroedPages: boolean;
  protected destroyed = false;
  /** The provider call the heap is inside (`'map'`, `'unmap'`), or null. */
  protected inProvider: string | null = null;
  /** destroyed or inside a provider call: one flag, so the hot path reads one field. */
  protected closed = false;

  /**
   * @param options heap options; see {@link HeapOptions}.
   * @param call the name of the function creating the heap, for error messages (default
   *   `createHeap`; `@mems/api` passes `mems_init` or `createMems`).
   * @param surface for a layer that presents these options as its own (`@mems/api`): the
   *   option names its callers may pass, its `null` wording and its operation names; see
   *   {@link HeapOptionSurface}. The options are then read, checked and resolved here only.
   * @param shared for a heap that worker threads share (`@mems/api`'s `createSharedMems`): the
   *   table memory every thread holds and this thread's mapping resolver. Such a heap is used
   *   only between `beginSharedCall(heap)` and `endSharedCall(heap)` (`@mems/core/internal`),
   *   under the caller's lock.
   * @throws MemsError `EINVAL` for an invalid option, a provider that lacks a member the heap
   *   relies on, options that cannot be read (revoked proxy, throwing getter), or a policy
   *   factory whose `create` throws or returns something that is not a policy (or, for a shared
   *   heap, a policy that is not built in).
   */
  constructor(
    options?: HeapOptions,
    call = 'createHeap',
    surface?: HeapOptionSurface,
    shared?: SharedTableStorage,
  ) {
    const resolved = resolveHeapOptionsAndProvider(options, call, surface);
    this.options = resolved.options;
    this.provider = this.options.provider;
    this.pageSize = this.options.pageSize;
    this.alignMask = this.options.alignment - 1;
    this.autoTrim = this.options.autoTrim;
    this.names = this.options.callNames;
    this.osPageSize = resolved.provider.pageSize;
    this.providerName = resolved.provider.name;
    this.maxNodeBytes = largestNode(resolved.provider, this.pageSize);
    this.zeroedPages = promisesZeroedPages(this.provider);
    this.retainMapping = retainOf(this.provider);
    this.t =
      shared === undefined
        ? new HeapTables(
            plainMemory(),
            this.options.policy,
            call,
            this.options.frontCache,
            this.options.alignment,
            this.options.slabs,
            this.options.startAddress,
          )
        : new HeapTables(
            shared.memory,
            this.options.policy,
            call,
            this.options.frontCache,
            this.options.alignment,
            this.options.slabs,
            this.options.startAddress,
            shared,
          );
    this.cacheLimit = this.t.cache?.limit ?? 0;
    this.slabLimit = this.t.slabs?.limit ?? 0;
    this.granuleMask = (this.t.cache?.granule ?? 1) - 1;
  }

  /**
   * The hooks a heap shared by threads is driven through (`@mems/core/internal`'s
   * `beginSharedCall`, `endSharedCall`, `publishSharedState`); keyed by a symbol so that they
   * stay out of the public surface.
   */
  get [SHARED_CALLS](): SharedCallHooks {
    return this.t;
  }

  /** Whether {@link destroy} has run; every other call is then `ESTATE`. */
  get isDestroyed(): boolean {
    return this.destroyed;
  }

  /** The largest block one allocation may ask for, in bytes. */
  get maxBlockSize(): number {
    return this.maxNodeBytes;
  }

  // ------------------------------------------------------------------ state and the re-entry guard

  /** Throws the ESTATE of a call made after destroy or inside a provider call (`values` described). */
  protected refuseClosed(call: string, ...values: unknown[]): never {
    throw stateError(call, values.map(describeValue).join(', '), this.inProvider);
  }

  /** Marks the heap as inside a provider call (every heap call is then ESTATE). */
  protected enterProvider(op: string): void {
    this.inProvider = op;
    this.closed = true;
  }

  /** Ends {@link enterProvider}. */
  protected leaveProvider(): void {
    this.inProvider = null;
    this.closed = this.destroyed;
  }

  /**
   * The size a block of `size` bytes gets: up to the slabs' limit, its slab class's size; up to
   * the front cache's limit, a multiple of its granule (so that a cached block fits every
   * request of its class exactly); else a multiple of the alignment.
   */
  protected blockSizeFor(size: number): number {
    if (size <= this.slabLimit) return this.t.slabs!.classSize[this.t.slabs!.classOf(size)]!;
    if (size <= this.cacheLimit) return (size + this.granuleMask) & ~this.granuleMask;
    return this.roundUp(size);
  }

  protected roundUp(size: number): number {
    const alignment = this.alignMask + 1;
    return this.alignMask === 0 ? size : Math.ceil(size / alignment) * alignment;
  }
}
