import type { HeapSnapshot, TypedArrayConstructor } from '@mems/core';

/**
 * One independent MeMS heap, made by `createMems`: the seed's operations (and a few more) as
 * methods. The methods do not use `this`, so they can be destructured. Every method checks its
 * arguments before touching anything: a call that throws a `MemsError` changes nothing.
 * Error messages name the method, e.g. `free(1234): 1234 is not inside any mapped node`.
 */
export interface Mems {
  /** True once {@link Mems.finish} has run; every call except reading this is then `ESTATE`. */
  readonly isFinished: boolean;

  /**
   * Allocates a block (the seed's `mems_malloc`): the first hole that fits (under the default
   * policy) gives its front; when none fits, ceil(size / pageSize) new pages are mapped.
   * @param size bytes wanted: a positive safe integer.
   * @returns the block's MeMS virtual address.
   * @throws MemsError `EINVAL` for a bad size (0, negative, fractional, NaN, Infinity, not a
   *   number, too large), `ENOMEM` when the provider refuses pages, `ESTATE` after finish.
   */
  malloc(size: number): number;

  /**
   * Frees a block (the seed's `mems_free`): it becomes a hole and merges with hole neighbours
   * in its node.
   * @param ptr the exact virtual address `malloc` returned.
   * @throws MemsError `EINVAL` when `ptr` is not a non-negative safe integer, `EFAULT` when it
   *   is not the start of a live block (unknown, interior, already freed), `ESTATE` after finish.
   */
  free(ptr: number): void;

  /**
   * Translates a virtual address to the physical one (the seed's `mems_get`): any byte of a
   * live block, interior ones too.
   * @param ptr a virtual address inside a live block.
   * @returns the physical address (a real process address on the mmap provider).
   * @throws MemsError `EINVAL` for a value that is not an address, `EFAULT` for an address in
   *   a hole or outside every node (this catches use after free), `ESTATE` after finish.
   */
  get(ptr: number): bigint;

  /**
   * Prints the seed's stats text (`----- MeMS SYSTEM STATS -----` ...), byte for byte.
   * @param write where the text goes; default standard output (`process.stdout.write`, else
   *   `console.log` without an extra newline).
   * @throws MemsError `EINVAL` when `write` is given and is not a function, `ESTATE` after
   *   finish; whatever `write` throws.
   */
  printStats(write?: (text: string) => void): void;

  /**
   * Unmaps every page and ends the heap (the seed's `mems_finish`). Every view of the heap
   * dies: on the mmap provider touching one afterwards crashes the process.
   * @throws MemsError `ESTATE` when already finished; when the provider fails to unmap some
   *   pages the rest are still unmapped, the heap is finished all the same, and the error
   *   (code of the first failure) has an `AggregateError` of every failure as its `cause`.
   */
  finish(): void;

  /**
   * Allocates `count × size` bytes, all zero.
   * @param count number of elements: a positive safe integer.
   * @param size bytes per element: a positive safe integer.
   * @returns the block's virtual address.
   * @throws MemsError `EINVAL` for a bad count or size or a product too large, `ENOMEM` when the
   *   provider refuses pages, `ESTATE` after finish.
   */
  calloc(count: number, size: number): number;

  /**
   * Resizes a block, in place when it can (shrinking, or growing into a following hole), else
   * by allocating, copying and freeing the old block.
   * @param ptr the start of a live block.
   * @param size the new size: a positive safe integer.
   * @returns the block's (possibly new) virtual address.
   * @throws MemsError `EINVAL` for a bad argument, `EFAULT` when `ptr` is not the start of a
   *   live block, `ENOMEM` when a move needs pages the provider refuses (the old block is then
   *   untouched), `ESTATE` after finish.
   */
  realloc(ptr: number, size: number): number;

  /**
   * A zero-copy byte view of a live block, or of part of it. It reads and writes the block's
   * memory. It dies with `finish` and `trim` (on mmap, touching it afterwards crashes the
   * process), and after the block is freed it reads stale bytes.
   * @param ptr the block's start or an interior address.
   * @param byteLength how many bytes; default to the end of the block.
   * @returns a `Uint8Array` over those bytes.
   * @throws MemsError `EINVAL` for bad arguments or a length past the block's end, `EFAULT`
   *   when `ptr` is not in a live block, `ESTATE` after finish.
   */
  view(ptr: number, byteLength?: number): Uint8Array;

  /**
   * A zero-copy typed-array view of a live block (same lifetime as {@link Mems.view}).
   * @param type a typed-array constructor, e.g. `Int32Array`.
   * @param ptr the block's start or an interior address, aligned to the element size.
   * @param count element count; default as many whole elements as fit to the block's end.
   * @returns the typed array.
   * @throws MemsError `EINVAL` for an unknown type, a misaligned address or a count past the
   *   block's end, `EFAULT` when `ptr` is not in a live block, `ESTATE` after finish.
   */
  viewAs<T extends TypedArrayConstructor>(type: T, ptr: number, count?: number): InstanceType<T>;

  /**
   * The usable size of a live block: the size asked for, rounded up to the alignment.
   * @param ptr the start of a live block.
   * @returns its size in bytes.
   * @throws MemsError `EINVAL`, `EFAULT` or `ESTATE` as {@link Mems.free} does.
   */
  usableSize(ptr: number): number;

  /**
   * Returns every node that holds no live block to the provider. Views of those pages die.
   * @returns how many bytes were unmapped.
   * @throws MemsError `ESTATE` after finish; when some unmaps fail the others still happen and
   *   the error (code of the first failure) has an `AggregateError` as its `cause`.
   */
  trim(): number;

  /**
   * A plain, serialisable description of the heap: settings, counters and the whole main chain
   * (what `@mems/stats` formats).
   * @returns the snapshot.
   * @throws MemsError `ESTATE` after finish.
   */
  stats(): HeapSnapshot;

  /**
   * Walks the heap and checks every invariant of the free list.
   * @throws HeapInvariantError describing the first broken invariant (a bug, never a user
   *   error); MemsError `ESTATE` after finish.
   */
  validate(): void;
}
