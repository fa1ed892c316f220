import type { BlockMemory, HeapSnapshot, TypedArrayConstructor } from '@mems/core';
import type { Mems, TypedArray } from './mems.js';
import type { MemsOptions } from './mems-options.js';
import { MemsSession } from './open-mems.js';
import { GLOBAL_CALL_NAMES } from './operations.js';

/*
 * The seed's C-like surface over one process-wide heap. Each function is a thin layer over the
 * process-wide session's `Mems` with the `mems_*` names, so errors name these functions. Each
 * operation is documented in full once, on `Heap` in `@mems/core`; `Mems` and these functions
 * link to it and add only what their surface changes (names, ESTATE wording).
 */

/**
 * The process-wide session: no heap before `mems_init` and after `mems_finish`. It owns the
 * ESTATE check, so the functions below only forward.
 */
const session = new MemsSession(GLOBAL_CALL_NAMES, {
  notOpened: 'MeMS is not initialised; call mems_init() first',
  finished: 'MeMS was finished by mems_finish(); call mems_init() to start again',
  alreadyOpen: 'MeMS is already initialised; call mems_finish() first',
  finishAgain: 'refuse',
});
const current = session.mems;

/**
 * Starts MeMS (the seed's `mems_init`): creates the process-wide heap. Nothing is mapped until
 * the first allocation. After `mems_finish` it starts afresh, from the start address again.
 * @param options see {@link MemsOptions}; the defaults are the seed's (page size 4096, first
 *   address 1000, first fit) on `createDefaultProvider()`.
 * @throws MemsError `ESTATE` when MeMS is already initialised (the live heap is untouched);
 *   `EINVAL` for an invalid or unknown option (MeMS stays uninitialised).
 */
export function mems_init(options?: MemsOptions): void {
  session.open(options, options === undefined ? [] : [options]);
}

/**
 * Allocates a block (the seed's `mems_malloc`): {@link Mems.malloc} on the process-wide heap.
 * @param size bytes wanted: a positive safe integer.
 * @returns the block's MeMS virtual address.
 * @throws MemsError as {@link Mems.malloc} (naming `mems_malloc`);
 *   `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_malloc(size: number): number {
  return current.malloc(size);
}

/**
 * Frees a block (the seed's `mems_free`): {@link Mems.free} on the process-wide heap.
 * @param ptr the exact virtual address `mems_malloc` returned, or an array from
 *   `mems_malloc_as`/`mems_calloc_as`.
 * @throws MemsError as {@link Mems.free} (naming `mems_free`);
 *   `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_free(ptr: number | TypedArray): void {
  current.free(ptr);
}

/**
 * Translates a MeMS virtual address to its physical address (the seed's `mems_get`):
 * {@link Mems.get} on the process-wide heap.
 * @param ptr a virtual address inside a live block.
 * @returns the physical address: on the mmap provider a real address native code can use.
 * @throws MemsError as {@link Mems.get} (naming `mems_get`);
 *   `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_get(ptr: number): bigint {
  return current.get(ptr);
}

/**
 * Prints the seed's stats text to standard output, byte for byte (the seed's
 * `mems_print_stats`): {@link Mems.printStats} without a `write`.
 * @throws MemsError `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_print_stats(): void {
  current.printStats();
}

/**
 * Ends MeMS (the seed's `mems_finish`): {@link Mems.finish} on the process-wide heap; then
 * `mems_init` may start again.
 * @throws MemsError as {@link Mems.finish} (naming `mems_finish`);
 *   `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_finish(): void {
  current.finish();
}

/**
 * Allocates `count × size` bytes, all zero: {@link Mems.calloc} on the process-wide heap.
 * @param count number of elements: a positive safe integer.
 * @param size bytes per element: a positive safe integer.
 * @returns the block's virtual address.
 * @throws MemsError as {@link Mems.calloc} (naming `mems_calloc`);
 *   `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_calloc(count: number, size: number): number {
  return current.calloc(count, size);
}

/**
 * Resizes a block: {@link Mems.realloc} on the process-wide heap.
 * @param ptr the start of a live block.
 * @param size the new size: a positive safe integer.
 * @returns the block's (possibly new) virtual address.
 * @throws MemsError as {@link Mems.realloc} (naming `mems_realloc`);
 *   `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_realloc(ptr: number, size: number): number {
  return current.realloc(ptr, size);
}

/**
 * A zero-copy byte view of a live block (or part of it): {@link Mems.view} on the
 * process-wide heap. It dies with `mems_finish` and `mems_trim`.
 * @param ptr the block's start or an interior address.
 * @param byteLength how many bytes; default to the end of the block.
 * @returns a `Uint8Array` over those bytes.
 * @throws MemsError as {@link Mems.view} (naming `mems_view`);
 *   `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_view(ptr: number, byteLength?: number): Uint8Array {
  return current.view(ptr, byteLength);
}

/**
 * A zero-copy typed-array view of a live block: {@link Mems.viewAs} on the process-wide
 * heap (same lifetime as {@link mems_view}).
 * @param type a typed-array constructor, e.g. `Int32Array`.
 * @param ptr the block's start or an interior address, aligned to the element size.
 * @param count element count; default as many whole elements as fit to the block's end.
 * @returns the typed array.
 * @throws MemsError as {@link Mems.viewAs} (naming `mems_view_as`);
 *   `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_view_as<T extends TypedArrayConstructor>(
  type: T,
  ptr: number,
  count?: number,
): InstanceType<T> {
  return current.viewAs(type, ptr, count);
}

/**
 * The long-lived typed arrays over the node that holds `ptr`: {@link Mems.memoryOf} on the
 * process-wide heap. Drop it before `mems_trim` unmaps its node and before `mems_finish`.
 * @param ptr any byte of a live block.
 * @returns `{ base, u8, i32, u32, f64, dataView }`; `ptr - base` is `ptr`'s byte offset in `u8`.
 * @throws MemsError as {@link Mems.memoryOf} (naming `mems_memory_of`);
 *   `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_memory_of(ptr: number): BlockMemory {
  return current.memoryOf(ptr);
}

/**
 * The usable size of a live block: {@link Mems.usableSize} on the process-wide heap.
 * @param ptr the start of a live block.
 * @returns its size in bytes.
 * @throws MemsError as {@link Mems.usableSize} (naming `mems_usable_size`);
 *   `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_usable_size(ptr: number): number {
  return current.usableSize(ptr);
}

/**
 * Returns every node that holds no live block to the provider: {@link Mems.trim} on the
 * process-wide heap.
 * @returns how many bytes were unmapped.
 * @throws MemsError as {@link Mems.trim} (naming `mems_trim`);
 *   `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_trim(): number {
  return current.trim();
}

/**
 * A plain, serialisable snapshot of the heap: {@link Mems.stats} on the process-wide heap.
 * @returns the snapshot.
 * @throws MemsError `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_stats(): HeapSnapshot {
  return current.stats();
}

/**
 * Walks the heap and checks every invariant of the free list: {@link Mems.validate} on the
 * process-wide heap.
 * @throws HeapInvariantError as {@link Mems.validate};
 *   MemsError `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_validate(): void {
  current.validate();
}

/**
 * A typed array over a new block, aligned to its element size: {@link Mems.mallocAs} on the
 * process-wide heap. Free it with `mems_free(array)`.
 * @param type a typed-array constructor, e.g. `Float64Array`.
 * @param count number of elements: a positive safe integer.
 * @returns the typed array.
 * @throws MemsError as {@link Mems.mallocAs} (naming `mems_malloc_as`);
 *   `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_malloc_as<T extends TypedArrayConstructor>(type: T, count: number): InstanceType<T> {
  return current.mallocAs(type, count);
}

/**
 * {@link mems_malloc_as} with every element zero: {@link Mems.callocAs} on the process-wide heap.
 * @param type a typed-array constructor, e.g. `Int32Array`.
 * @param count number of elements: a positive safe integer.
 * @returns the zeroed typed array.
 * @throws MemsError as {@link Mems.callocAs} (naming `mems_calloc_as`);
 *   `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_calloc_as<T extends TypedArrayConstructor>(type: T, count: number): InstanceType<T> {
  return current.callocAs(type, count);
}

/**
 * Frees every live block but keeps the heap: {@link Mems.freeAll} on the process-wide heap.
 * @returns how many blocks were freed.
 * @throws MemsError `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_free_all(): number {
  return current.freeAll();
}
