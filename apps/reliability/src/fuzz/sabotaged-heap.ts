/**
 * Deliberately broken wrappers around a worker's heap, for the tests of `pnpm fuzz --shared N`
 * (a checker that cannot fail proves nothing): each one breaks one promise of the heap, and the
 * fuzzer must report it. Never used by a real run.
 */
import { isMemsError } from '@mems/os';
import type { FuzzedHeap } from './fuzzed-heap.js';

/**
 * The breakages: `hand-out-a-live-block` makes every 25th malloc return the worker's previous
 * block again (two owners of one block, as an allocator that loses track of a block would);
 * `accept-double-free` makes free swallow the refusal of a block that is already free;
 * `hang-in-malloc` makes the 200th malloc of a valid size never return (a thread stuck in a call;
 * a malloc the fuzzer makes to be refused, such as `malloc(-1)`, does not count, so the report
 * always names a call that should have returned a block).
 */
export const SABOTAGES = ['hand-out-a-live-block', 'accept-double-free', 'hang-in-malloc'] as const;

/** One of {@link SABOTAGES}. */
export type Sabotage = (typeof SABOTAGES)[number];

/**
 * Wraps a heap so that it breaks as `kind` says.
 * @param heap the worker's real heap.
 * @param kind the breakage.
 * @returns a heap that forwards every other call unchanged.
 */
export function sabotageHeap(heap: FuzzedHeap, kind: Sabotage): FuzzedHeap {
  const broken: FuzzedHeap = {
    malloc: (size) => heap.malloc(size),
    calloc: (count, size) => heap.calloc(count, size),
    realloc: (ptr, size) => heap.realloc(ptr, size),
    free: (ptr) => heap.free(ptr),
    get: (ptr) => heap.get(ptr),
    view: (ptr, byteLength) => heap.view(ptr, byteLength),
    usableSize: (ptr) => heap.usableSize(ptr),
    stats: () => heap.stats(),
    validate: () => heap.validate(),
    printStats: (write) => heap.printStats(write),
    trim: () => heap.trim(),
    detach: () => heap.detach(),
  };
  if (kind === 'hand-out-a-live-block') {
    let mallocs = 0;
    let previous: number | null = null;
    broken.malloc = (size) => {
      const fresh = heap.malloc(size);
      mallocs++;
      if (mallocs % 25 === 0 && previous !== null) {
        let previousSize = 0;
        try {
          previousSize = heap.usableSize(previous);
        } catch {
          // freed since: hand out the fresh block
        }
        if (previousSize >= size) {
          heap.free(fresh);
          return previous;
        }
      }
      previous = fresh;
      return fresh;
    };
  } else if (kind === 'hang-in-malloc') {
    let mallocs = 0;
    const never = new Int32Array(new SharedArrayBuffer(4));
    broken.malloc = (size) => {
      if (Number.isSafeInteger(size) && size > 0 && ++mallocs === 200) Atomics.wait(never, 0, 0);
      return heap.malloc(size);
    };
  } else {
    broken.free = (ptr) => {
      try {
        heap.free(ptr);
      } catch (error) {
        if (isMemsError(error) && error.code === 'EFAULT' && error.message.includes('already freed')) return;
        throw error;
      }
    };
  }
  return broken;
}
