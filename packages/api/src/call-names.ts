import type { HeapOperation } from '@mems/core';

/** The name each operation goes by in one surface of the API, for error messages. */
export interface CallNames {
  /** The function that creates the heap (`mems_init` or `createMems`). */
  readonly init: string;
  /** Allocation (`mems_malloc` or `malloc`). */
  readonly malloc: string;
  /** Freeing (`mems_free` or `free`). */
  readonly free: string;
  /** Translation to a physical address (`mems_get` or `get`). */
  readonly get: string;
  /** Printing the seed's stats (`mems_print_stats` or `printStats`). */
  readonly printStats: string;
  /** Ending the heap (`mems_finish` or `finish`). */
  readonly finish: string;
  /** Zeroed allocation. */
  readonly calloc: string;
  /** Resizing. */
  readonly realloc: string;
  /** A byte view. */
  readonly view: string;
  /** A typed-array view. */
  readonly viewAs: string;
  /** memoryOf: long-lived typed arrays over a block's node. */
  readonly memoryOf: string;
  /** The usable size of a block. */
  readonly usableSize: string;
  /** Returning empty nodes to the provider. */
  readonly trim: string;
  /** The snapshot. */
  readonly stats: string;
  /** The heap walk. */
  readonly validate: string;
}

/** Names of the global, C-like functions. */
export const GLOBAL_CALL_NAMES: CallNames = {
  init: 'mems_init',
  malloc: 'mems_malloc',
  free: 'mems_free',
  get: 'mems_get',
  printStats: 'mems_print_stats',
  finish: 'mems_finish',
  calloc: 'mems_calloc',
  realloc: 'mems_realloc',
  view: 'mems_view',
  viewAs: 'mems_view_as',
  memoryOf: 'mems_memory_of',
  usableSize: 'mems_usable_size',
  trim: 'mems_trim',
  stats: 'mems_stats',
  validate: 'mems_validate',
};

/** Names of the methods of an instance made by `createMems`. */
export const INSTANCE_CALL_NAMES: CallNames = {
  init: 'createMems',
  malloc: 'malloc',
  free: 'free',
  get: 'get',
  printStats: 'printStats',
  finish: 'finish',
  calloc: 'calloc',
  realloc: 'realloc',
  view: 'view',
  viewAs: 'viewAs',
  memoryOf: 'memoryOf',
  usableSize: 'usableSize',
  trim: 'trim',
  stats: 'stats',
  validate: 'validate',
};

/**
 * The names `@mems/core` puts in its error messages, mapped from one API surface.
 * @param names the surface's names.
 * @returns the heap's `callNames` option.
 */
export function heapCallNames(names: CallNames): Readonly<Record<HeapOperation, string>> {
  return {
    allocate: names.malloc,
    free: names.free,
    translate: names.get,
    view: names.view,
    viewAs: names.viewAs,
    memoryOf: names.memoryOf,
    calloc: names.calloc,
    realloc: names.realloc,
    usableSize: names.usableSize,
    trim: names.trim,
    snapshot: names.stats,
    counters: names.stats,
    validate: names.validate,
    destroy: names.finish,
  };
}
