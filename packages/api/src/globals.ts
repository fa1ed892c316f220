import type { HeapSnapshot, TypedArrayConstructor } from '@mems/core';
import { GLOBAL_CALL_NAMES } from './call-names.js';
import type { MemsOptions } from './mems-options.js';
import { MemsSession } from './open-mems.js';

/*
 * The seed's C-like surface over one process-wide heap. Each function is a thin layer over a
 * `Mems` instance made by `mems_init` with the `mems_*` names, so errors name these functions.
 */

/** The process-wide session: no heap before `mems_init` and after `mems_finish`. It owns the ESTATE check. */
const session = new MemsSession(GLOBAL_CALL_NAMES, {
  notOpened: 'MeMS is not initialised; call mems_init() first',
  finished: 'MeMS was finished by mems_finish(); call mems_init() to start again',
  alreadyOpen: 'MeMS is already initialised; call mems_finish() first',
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
 * Allocates a block (the seed's `mems_malloc`): first fit over the main chain and its
 * sub-chains; the block takes the front of the hole and the rest stays a hole. When no hole
 * fits, ceil(size / pageSize) pages are mapped as a new node after the last one.
 * @param size bytes wanted: a positive safe integer.
 * @returns the block's MeMS virtual address.
 * @throws MemsError `EINVAL` for a bad size (0, negative, fractional, NaN, Infinity, not a
 *   number, too large), `ENOMEM` when the provider refuses pages, `ESTATE` before `mems_init`
 *   or after `mems_finish`.
 */
export function mems_malloc(size: number): number {
  return current.malloc(size);
}

/**
 * Frees a block (the seed's `mems_free`): it becomes a HOLE and merges with HOLE neighbours in
 * the same sub-chain. Nodes stay mapped (unless `autoTrim`).
 * @param ptr the exact virtual address `mems_malloc` returned.
 * @throws MemsError `EINVAL` when `ptr` is not a non-negative safe integer, `EFAULT` when it is
 *   not the start of a live block (unknown, interior, already freed), `ESTATE` when not live.
 */
export function mems_free(ptr: number): void {
  current.free(ptr);
}

/**
 * Translates a MeMS virtual address to its physical address (the seed's `mems_get`): node's
 * physical base + (ptr - node's virtual start). Interior addresses of a block translate too.
 * @param ptr a virtual address inside a live block.
 * @returns the physical address: on the mmap provider a real address native code can use.
 * @throws MemsError `EINVAL` for a value that is not an address, `EFAULT` for an address in a
 *   hole or outside every node (use after free is caught here), `ESTATE` when not live.
 */
export function mems_get(ptr: number): bigint {
  return current.get(ptr);
}

/**
 * Prints the seed's stats text to standard output, byte for byte (`process.stdout.write`
 * where it exists, else `console.log` without an extra newline): one `MAIN[...]` line per node
 * with its sub-chain, then pages used, space unused, main chain length and the sub-chain
 * lengths.
 * @throws MemsError `ESTATE` before `mems_init` or after `mems_finish`.
 */
export function mems_print_stats(): void {
  current.printStats();
}

/**
 * Ends MeMS (the seed's `mems_finish`): unmaps every page. Every view dies (on mmap, touching
 * one afterwards crashes the process). `mems_init` may then start again.
 * @throws MemsError `ESTATE` before `mems_init` or after `mems_finish`. When the provider fails
 *   to unmap some pages, the rest are still unmapped, MeMS is finished all the same, and the
 *   error carries an `AggregateError` of the failures as its `cause`.
 */
export function mems_finish(): void {
  current.finish();
}

/**
 * Allocates `count × size` bytes, all zero (a reused hole holds old bytes, so they are
 * cleared).
 * @param count number of elements: a positive safe integer.
 * @param size bytes per element: a positive safe integer.
 * @returns the block's virtual address.
 * @throws MemsError `EINVAL` for a bad count or size or a product too large, `ENOMEM` when the
 *   provider refuses pages, `ESTATE` when not live.
 */
export function mems_calloc(count: number, size: number): number {
  return current.calloc(count, size);
}

/**
 * Resizes a block: in place when shrinking or when a following hole is large enough, else a
 * new block is allocated, the bytes copied and the old block freed.
 * @param ptr the start of a live block.
 * @param size the new size: a positive safe integer.
 * @returns the block's (possibly new) virtual address.
 * @throws MemsError `EINVAL` for a bad argument, `EFAULT` when `ptr` is not the start of a live
 *   block, `ENOMEM` when a move needs pages the provider refuses (the old block is untouched),
 *   `ESTATE` when not live.
 */
export function mems_realloc(ptr: number, size: number): number {
  return current.realloc(ptr, size);
}

/**
 * A zero-copy byte view of a live block (or part of it): reading and writing it reads and
 * writes the memory at `mems_get(ptr)`. The view dies with `mems_finish` and `mems_trim` (on
 * mmap, touching it afterwards crashes the process) and reads stale bytes once the block is freed.
 * @param ptr the block's start or an interior address.
 * @param byteLength how many bytes; default to the end of the block.
 * @returns a `Uint8Array` over those bytes.
 * @throws MemsError `EINVAL` for bad arguments or a length past the block's end, `EFAULT` when
 *   `ptr` is not in a live block, `ESTATE` when not live.
 */
export function mems_view(ptr: number, byteLength?: number): Uint8Array {
  return current.view(ptr, byteLength);
}

/**
 * A zero-copy typed-array view of a live block (same lifetime as {@link mems_view}).
 * @param type a typed-array constructor, e.g. `Int32Array`.
 * @param ptr the block's start or an interior address, aligned to the element size.
 * @param count element count; default as many whole elements as fit to the block's end.
 * @returns the typed array.
 * @throws MemsError `EINVAL` for an unknown type, a misaligned address or a count past the
 *   block's end, `EFAULT` when `ptr` is not in a live block, `ESTATE` when not live.
 */
export function mems_view_as<T extends TypedArrayConstructor>(
  type: T,
  ptr: number,
  count?: number,
): InstanceType<T> {
  return current.viewAs(type, ptr, count);
}

/**
 * The usable size of a live block: the size asked for, rounded up to the alignment.
 * @param ptr the start of a live block.
 * @returns its size in bytes.
 * @throws MemsError `EINVAL`, `EFAULT` or `ESTATE` as {@link mems_free} does.
 */
export function mems_usable_size(ptr: number): number {
  return current.usableSize(ptr);
}

/**
 * Returns every node that holds no live block to the provider (`munmap`). Views of those
 * pages die with them.
 * @returns how many bytes were unmapped.
 * @throws MemsError `ESTATE` when not live; when some unmaps fail the others still happen and
 *   the error (code of the first failure) has an `AggregateError` as its `cause`.
 */
export function mems_trim(): number {
  return current.trim();
}

/**
 * A plain, serialisable snapshot of the heap (settings, counters, the main chain with every
 * sub-chain): what `@mems/stats` formats.
 * @returns the snapshot.
 * @throws MemsError `ESTATE` when not live.
 */
export function mems_stats(): HeapSnapshot {
  return current.stats();
}

/**
 * Walks the heap and checks every invariant of the free list.
 * @throws HeapInvariantError describing the first broken invariant (a bug in MeMS or in a
 *   custom policy, never a user error); MemsError `ESTATE` when not live.
 */
export function mems_validate(): void {
  current.validate();
}
