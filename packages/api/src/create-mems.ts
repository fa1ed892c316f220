import type { Mems } from './mems.js';
import type { MemsOptions } from './mems-options.js';
import { openMems } from './open-mems.js';
import { INSTANCE_CALL_NAMES } from './operations.js';

/**
 * Creates an independent MeMS heap: its own provider pages, free list and stats, unaffected
 * by `mems_init`/`mems_finish` and by other instances. Its methods are the global functions
 * in camelCase (`malloc`, `free`, `get`, `printStats`, `finish`, ...), and its error messages
 * name them (`malloc(0): size must be a positive safe integer`).
 * @param options see {@link MemsOptions}; every default keeps the seed's behaviour.
 * @returns a live instance; nothing is mapped until the first allocation.
 * @throws MemsError `EINVAL` for an invalid or unknown option (nothing is created).
 *
 * @example
 * const heap = createMems({ provider: createMockProvider() });
 * const p = heap.malloc(1000);
 * heap.viewAs(Int32Array, p)[1] = 200;
 * heap.printStats();
 * heap.finish();
 */
export function createMems(options?: MemsOptions): Mems {
  return openMems(options, INSTANCE_CALL_NAMES);
}
