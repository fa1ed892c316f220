import type { BlockMemory, Heap, HeapSnapshot, TypedArrayConstructor } from '@mems/core';
import type { OperationName } from './operations.js';

/** A typed array of any element type, over any buffer (what `free` takes besides an address). */
export type TypedArray = ArrayBufferView & { readonly BYTES_PER_ELEMENT: number; readonly length: number };

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
   * @param ptr the exact virtual address `malloc` returned, or a typed array that
   *   {@link Mems.mallocAs} or {@link Mems.callocAs} of this same object returned (its block is
   *   freed; only the array itself, not another view of the block).
   * @throws MemsError as {@link Heap.free} (naming `free`); `EINVAL` for a typed array that did
   *   not come from this object's `mallocAs`/`callocAs`; `EFAULT` for one whose block was already
   *   freed (through the array, or by `freeAll`); `ESTATE` after finish.
   */
  free(ptr: number | TypedArray): void;

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
   * On an object from `createMems`, `createSharedMems` or `attachMems`, a second `finish` does
   * nothing (as `Heap.destroy`); the global `mems_finish` keeps the seed's rule: `ESTATE`.
   * @throws MemsError as {@link Heap.destroy} (naming `finish`); `ESTATE` when called from
   *   inside the heap's page provider.
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
   * The long-lived typed arrays over the node (mapping) that holds `ptr`: {@link Heap.memoryOf}.
   * The same object for every address of one node, so a program keeps it and indexes it at
   * typed-array speed: `const m = mems.memoryOf(p); m.f64[(p - m.base) >> 3] = 1.5`. It dies
   * when `trim` unmaps its node and with `finish` (on mmap, touching it afterwards crashes the
   * process: drop it before either).
   * @param ptr any byte of a live block.
   * @returns `{ base, u8, i32, u32, f64, dataView }`; `ptr - base` is `ptr`'s byte offset in `u8`.
   * @throws MemsError as {@link Heap.memoryOf} (naming `memoryOf`); `ESTATE` after finish.
   */
  memoryOf(ptr: number): BlockMemory;

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

  /**
   * Allocates a block for `count` elements and returns a typed array over it, aligned to the
   * element size whatever the heap's `alignment` (as @thi.ng/malloc's `mallocAs`). With an
   * `alignment` below the element size the block is `elementSize - 1` bytes longer, so that an
   * aligned start fits in it; the array begins there. Free it with `free(array)`.
   * @param type a typed-array constructor, e.g. `Float64Array`.
   * @param count number of elements: a positive safe integer.
   * @returns the typed array (`count` elements; its bytes are whatever the block held).
   * @throws MemsError `EINVAL` for a type that is not a typed-array constructor or a bad
   *   count, naming `mallocAs`; otherwise as {@link Mems.malloc} (the message names `mallocAs`
   *   first); `ESTATE` after finish. A call that throws allocates nothing.
   */
  mallocAs<T extends TypedArrayConstructor>(type: T, count: number): InstanceType<T>;

  /**
   * {@link Mems.mallocAs} with every element zero (through {@link Mems.calloc}).
   * @param type a typed-array constructor, e.g. `Int32Array`.
   * @param count number of elements: a positive safe integer.
   * @returns the zeroed typed array.
   * @throws MemsError as {@link Mems.mallocAs}, naming `callocAs`.
   */
  callocAs<T extends TypedArrayConstructor>(type: T, count: number): InstanceType<T>;

  /**
   * Frees every live block but keeps the heap: its nodes stay mapped (unless `autoTrim`
   * returns them), so the next `malloc` reuses them. Every view and every typed array from
   * `mallocAs`/`callocAs` then reads stale bytes; `free` of such an array is `EFAULT`.
   * @returns how many blocks were freed.
   * @throws MemsError `ESTATE` after finish; as {@link Heap.free} when the provider fails to
   *   unmap a node under `autoTrim` (the blocks freed before it stay freed).
   */
  freeAll(): number;

  /**
   * Ends the object's use of the heap, so that `using mems = createMems()` cleans up: `finish()`
   * (for `attachMems`'s objects, `detach()`). Does nothing when already finished or detached.
   * @throws MemsError as {@link Mems.finish}.
   */
  [Symbol.dispose](): void;
}

/** Compile-time check: the operations table names exactly the methods of {@link Mems}. */
type MethodName = Exclude<keyof Mems, 'isFinished' | typeof Symbol.dispose>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const OPERATIONS_MATCH_MEMS: Same<MethodName, OperationName> = true;
