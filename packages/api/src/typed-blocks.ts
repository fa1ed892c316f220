import { describeArgument, type Heap, type TypedArrayConstructor } from '@mems/core';
import { isMemsError, MemsError } from '@mems/os';
import type { TypedArray } from './mems.js';

/** %TypedArray%, the constructor every built-in typed-array constructor inherits from. */
const TYPED_ARRAY = Object.getPrototypeOf(Int8Array) as object;

/** Whether `type` is a built-in typed-array constructor (never throws). */
function isTypedArrayConstructor(type: unknown): type is TypedArrayConstructor {
  try {
    return typeof type === 'function' && Object.getPrototypeOf(type) === TYPED_ARRAY;
  } catch {
    return false; // a proxy whose trap throws
  }
}

/** Whether `value` is a typed array (not a DataView; never throws). */
function isTypedArray(value: unknown): value is TypedArray {
  try {
    return ArrayBuffer.isView(value) && !(value instanceof DataView);
  } catch {
    return false;
  }
}

/** Where a `mallocAs` array's block is, and whether it is still this heap's live block. */
interface ArrayBlock {
  /** The block's virtual address (the array may start a few bytes in, to be aligned). */
  readonly address: number;
  /** The {@link TypedBlocks} generation it was made in; -1 once freed through the array. */
  generation: number;
}

/**
 * The typed arrays one `Mems` object handed out with `mallocAs`/`callocAs`, so that `free`
 * takes them back: a WeakMap from the array to its block (nothing is kept alive by it).
 * `freeAll` starts a new generation, which makes every earlier array stale (`EFAULT`).
 */
export class TypedBlocks {
  private readonly blocks = new WeakMap<object, ArrayBlock>();
  private generation = 0;

  /**
   * A new block holding `count` elements of `type`, and an aligned typed array over it.
   * @param heap the heap to allocate from.
   * @param call the operation's name in messages (`mallocAs` or `callocAs`).
   * @param zero whether the block's bytes are zeroed (`calloc`).
   * @throws MemsError `EINVAL` for a bad type or count; the heap's error (ENOMEM, ...)
   *   renamed to `call`. Nothing is allocated by a call that throws.
   */
  allocate<T extends TypedArrayConstructor>(
    heap: Heap,
    call: string,
    zero: boolean,
    type: T,
    count: number,
  ): InstanceType<T> {
    const what = (): string => `${call}(${describeArgument(type)}, ${describeArgument(count)})`;
    if (!isTypedArrayConstructor(type))
      throw new MemsError('EINVAL', `${what()}: type must be a typed-array constructor, e.g. Float64Array`);
    const elementSize = type.BYTES_PER_ELEMENT;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count <= 0)
      throw new MemsError('EINVAL', `${what()}: count must be a positive safe integer`);
    // Room for an aligned start when the heap's alignment cannot promise one.
    const slack = heap.options.alignment >= elementSize ? 0 : elementSize - 1;
    const bytes = count * elementSize + slack;
    if (!Number.isSafeInteger(bytes))
      throw new MemsError('EINVAL', `${what()}: count × ${elementSize} bytes is too large`);
    let address: number;
    try {
      address = zero ? heap.calloc(bytes, 1) : heap.allocate(bytes);
    } catch (error) {
      throw renamed(error, what());
    }
    let array: InstanceType<T>;
    try {
      const misaligned = heap.view(address, 0).byteOffset % elementSize;
      array = heap.viewAs(type, misaligned === 0 ? address : address + elementSize - misaligned, count);
    } catch (error) {
      // Only an unreachable node (a detached buffer) gets here: give the block back.
      heap.free(address);
      throw renamed(error, what());
    }
    this.blocks.set(array, { address, generation: this.generation });
    return array;
  }

  /**
   * Frees the block of an array from {@link TypedBlocks.allocate}.
   * @param heap the heap it came from.
   * @param call the operation's name in messages (`free`).
   * @param array what the caller passed to `free` instead of an address.
   * @throws MemsError `EINVAL` when `array` did not come from `allocate` here (a non-array goes
   *   to `heap.free`, which says why it is no address); `EFAULT` when its block was freed.
   */
  free(heap: Heap, call: string, array: unknown): void {
    const block = typeof array === 'object' && array !== null ? this.blocks.get(array) : undefined;
    if (block === undefined) {
      if (!isTypedArray(array)) {
        heap.free(array as number); // not an address: the heap's EINVAL (or ESTATE)
        return;
      }
      throw new MemsError(
        'EINVAL',
        `${call}(${describeArgument(array)}): this typed array did not come from mallocAs or callocAs of this heap object; free its block by the block's address`,
      );
    }
    if (block.generation !== this.generation)
      throw new MemsError(
        'EFAULT',
        `${call}(${describeArgument(array)}): the block of this array (at ${block.address}) was already freed (double free)`,
      );
    heap.free(block.address);
    block.generation = -1;
  }

  /**
   * Frees every live block of `heap` (kept mapped unless `autoTrim`) and makes every array
   * handed out so far stale. Freeing a live block cannot fail, so this cannot fail halfway.
   * @returns how many blocks were freed.
   */
  freeAll(heap: Heap): number {
    let freed = 0;
    for (const node of heap.snapshot().nodes)
      for (const segment of node.segments)
        if (segment.kind === 'PROCESS') {
          heap.free(segment.start);
          freed++;
        }
    this.generation++;
    return freed;
  }
}

/**
 * The heap's "not aligned" error of a typed view, with how to get aligned blocks added (other
 * errors unchanged). Matches `@mems/core`'s wording; `alignment-hint.test.ts` pins it.
 * @param error what `Heap.viewAs` threw.
 * @param names the surface's names of `init`, `mallocAs` and `callocAs`.
 */
export function withAlignmentHint(
  error: unknown,
  names: { readonly init: string; readonly mallocAs: string; readonly callocAs: string },
): unknown {
  if (!isMemsError(error, 'EINVAL')) return error;
  const misaligned = /not aligned to (\d+) bytes in physical memory$/.exec(error.message);
  if (misaligned === null) return error;
  const size = misaligned[1];
  return new MemsError(
    'EINVAL',
    `${error.message}: blocks start at any byte by default (alignment 1, the seed's addresses); for aligned blocks pass { alignment: ${size} } to ${names.init}, or allocate typed arrays with ${names.mallocAs} or ${names.callocAs}, which are always aligned`,
    { cause: error },
  );
}

/** A heap error on behalf of a typed call: the same code, the call named first. */
function renamed(error: unknown, what: string): unknown {
  if (!isMemsError(error)) return error;
  return new MemsError(error.code, `${what}: ${error.message}`, { cause: error });
}
