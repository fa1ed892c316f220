import type { HeapOperation } from '@mems/core';

/**
 * Every operation of a {@link Mems}, once: its method name (the key, which `createMems`,
 * `createSharedMems` and `attachMems` objects use and their error messages name), the global
 * function's name (`mems_*`, in the globals' error messages), the `Heap` operations whose error
 * messages it stands for (`@mems/core` names its own calls; the API maps them to these names),
 * and how a shared heap runs it: `'locked'` means the shared heap derives it from this table
 * (the thread's plain operation under the heap's lock, one lock per call); `'own'` means the
 * shared session writes it itself (the hot `malloc`/`free`, which must stay direct functions;
 * `printStats`, which formats outside the lock; `finish`, which ends the heap for every thread).
 *
 * The session (`open-mems.ts`) implements each operation once as a plain function; the
 * `Mems` interface (`mems.ts`) documents each one; both are checked against this table by the
 * compiler ({@link OperationName} must be exactly the method names of `Mems`).
 */
export const OPERATIONS = {
  malloc: { global: 'mems_malloc', heap: ['allocate'], shared: 'own' },
  free: { global: 'mems_free', heap: ['free'], shared: 'own' },
  get: { global: 'mems_get', heap: ['translate'], shared: 'locked' },
  printStats: { global: 'mems_print_stats', heap: [], shared: 'own' },
  finish: { global: 'mems_finish', heap: ['destroy'], shared: 'own' },
  calloc: { global: 'mems_calloc', heap: ['calloc'], shared: 'locked' },
  realloc: { global: 'mems_realloc', heap: ['realloc'], shared: 'locked' },
  view: { global: 'mems_view', heap: ['view'], shared: 'locked' },
  viewAs: { global: 'mems_view_as', heap: ['viewAs'], shared: 'locked' },
  memoryOf: { global: 'mems_memory_of', heap: ['memoryOf'], shared: 'locked' },
  usableSize: { global: 'mems_usable_size', heap: ['usableSize'], shared: 'locked' },
  trim: { global: 'mems_trim', heap: ['trim'], shared: 'locked' },
  stats: { global: 'mems_stats', heap: ['snapshot', 'counters'], shared: 'locked' },
  validate: { global: 'mems_validate', heap: ['validate'], shared: 'locked' },
  mallocAs: { global: 'mems_malloc_as', heap: [], shared: 'locked' },
  callocAs: { global: 'mems_calloc_as', heap: [], shared: 'locked' },
  freeAll: { global: 'mems_free_all', heap: [], shared: 'locked' },
} as const satisfies Record<
  string,
  { global: string; heap: readonly HeapOperation[]; shared: 'locked' | 'own' }
>;

/** The name of one operation (a method of `Mems`). */
export type OperationName = keyof typeof OPERATIONS;

/** The operations, in table order. */
export const OPERATION_NAMES = Object.keys(OPERATIONS) as readonly OperationName[];

/** The name each operation goes by in one surface of the API, for error messages. */
export type CallNames = Readonly<Record<OperationName | 'init', string>>;

function callNames(init: string, nameOf: (operation: OperationName) => string): CallNames {
  const names = { init } as Record<OperationName | 'init', string>;
  for (const operation of OPERATION_NAMES) names[operation] = nameOf(operation);
  return names;
}

/** Names of the global, C-like functions (`mems_malloc`, ...; the heap comes from `mems_init`). */
export const GLOBAL_CALL_NAMES: CallNames = callNames('mems_init', (op) => OPERATIONS[op].global);

/** Names of the methods of an instance made by `createMems` (the method names themselves). */
export const INSTANCE_CALL_NAMES: CallNames = callNames('createMems', (op) => op);

/**
 * The names `@mems/core` puts in its error messages, mapped from one API surface.
 * @param names the surface's names.
 * @returns the heap's `callNames` option.
 */
export function heapCallNames(names: CallNames): Readonly<Record<HeapOperation, string>> {
  const heap: Partial<Record<HeapOperation, string>> = {};
  for (const operation of OPERATION_NAMES)
    for (const heapOperation of OPERATIONS[operation].heap) heap[heapOperation] = names[operation];
  return heap as Record<HeapOperation, string>;
}
