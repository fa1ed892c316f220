import type { Heap, HeapSnapshot, TypedArrayConstructor } from '@mems/core';

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
   * Allocates a block (the seed's `mems_malloc`): {@link Heap.allocate}, which documents the
   * placement, the growth and every error.
   * @param size bytes wanted: a positive safe integer.
   * @returns the block's MeMS virtual address.
   * @throws MemsError as {@link Heap.allocate} (naming `malloc`); `ESTATE` after finish.
   */
  malloc(size: number): number;

  /**
   * Frees a block (the seed's `mems_free`): {@link Heap.free}.
   * @param ptr the exact virtual address `malloc` returned.
   * @throws MemsError as {@link Heap.free} (naming `free`); `ESTATE` after finish.
   */
  free(ptr: number): void;

  /**
   * Translates a virtual address to the physical one (the seed's `mems_get`):
   * {@link Heap.translate}.
   * @param ptr a virtual address inside a live block.
   * @returns the physical address (a real process address on the mmap provider).
   * @throws MemsError as {@link Heap.translate} (naming `get`); `ESTATE` after finish.
   */
  get(ptr: number): bigint;

  /**
   * Prints the seed's stats text (`----- MeMS SYSTEM STATS -----` ...), byte for byte: the
   * `@mems/stats` rendering of {@link Heap.snapshot}. This surface's own operation.
   * @param write where the text goes; default standard output (`process.stdout.write`, else
   *   `console.log` without an extra newline).
   * @throws MemsError `EINVAL` when `write` is given and is not a function, `ESTATE` after
   *   finish; whatever `write` throws.
   */
  printStats(write?: (text: string) => void): void;

  /**
   * Unmaps every page and ends the heap (the seed's `mems_finish`): {@link Heap.destroy}. Every
   * view of the heap dies: on the mmap provider touching one afterwards crashes the process.
   * @throws MemsError `ESTATE` when already finished (unlike `Heap.destroy`, which then does
   *   nothing); otherwise as {@link Heap.destroy} (naming `finish`).
   */
  finish(): void;

  /**
   * Allocates `count × size` bytes, all zero: {@link Heap.calloc}.
   * @param count number of elements: a positive safe integer.
   * @param size bytes per element: a positive safe integer.
   * @returns the block's virtual address.
   * @throws MemsError as {@link Heap.calloc} (naming `calloc`); `ESTATE` after finish.
   */
  calloc(count: number, size: number): number;

  /**
   * Resizes a block: {@link Heap.realloc}, which documents when it moves.
   * @param ptr the start of a live block.
   * @param size the new size: a positive safe integer.
   * @returns the block's (possibly new) virtual address.
   * @throws MemsError as {@link Heap.realloc} (naming `realloc`); `ESTATE` after finish.
   */
  realloc(ptr: number, size: number): number;

  /**
   * A zero-copy byte view of a live block, or of part of it: {@link Heap.view}. It dies with
   * `finish` and `trim` (on mmap, touching it afterwards crashes the process).
   * @param ptr the block's start or an interior address.
   * @param byteLength how many bytes; default to the end of the block.
   * @returns a `Uint8Array` over those bytes.
   * @throws MemsError as {@link Heap.view} (naming `view`); `ESTATE` after finish.
   */
  view(ptr: number, byteLength?: number): Uint8Array;

  /**
   * A zero-copy typed-array view of a live block: {@link Heap.viewAs} (same lifetime as
   * {@link Mems.view}).
   * @param type a typed-array constructor, e.g. `Int32Array`.
   * @param ptr the block's start or an interior address, aligned to the element size.
   * @param count element count; default as many whole elements as fit to the block's end.
   * @returns the typed array.
   * @throws MemsError as {@link Heap.viewAs} (naming `viewAs`); `ESTATE` after finish.
   */
  viewAs<T extends TypedArrayConstructor>(type: T, ptr: number, count?: number): InstanceType<T>;

  /**
   * The usable size of a live block: {@link Heap.usableSize}.
   * @param ptr the start of a live block.
   * @returns its size in bytes.
   * @throws MemsError as {@link Heap.usableSize} (naming `usableSize`); `ESTATE` after finish.
   */
  usableSize(ptr: number): number;

  /**
   * Returns every node that holds no live block to the provider: {@link Heap.trim}. Views of
   * those pages die.
   * @returns how many bytes were unmapped.
   * @throws MemsError as {@link Heap.trim} (naming `trim`); `ESTATE` after finish.
   */
  trim(): number;

  /**
   * A plain, serialisable description of the heap (what `@mems/stats` formats):
   * {@link Heap.snapshot}.
   * @returns the snapshot.
   * @throws MemsError `ESTATE` after finish.
   */
  stats(): HeapSnapshot;

  /**
   * Walks the heap and checks every invariant of the free list: {@link Heap.validate}.
   * @throws HeapInvariantError as {@link Heap.validate}; MemsError `ESTATE` after finish.
   */
  validate(): void;
}
