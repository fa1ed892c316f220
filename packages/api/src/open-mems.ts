import { describeArgument } from '@mems/core';
import { describeValue, MemsError } from '@mems/os';
import { formatSeedStats } from '@mems/stats';
import { type CallNames, heapCallNames } from './call-names.js';
import type { Mems } from './mems.js';
import { createHeapFromOptions } from './mems-options.js';
import { writeToStdout } from './write-to-stdout.js';

/**
 * Creates a heap and wraps it as a {@link Mems} whose error messages use one surface's names.
 * `createMems` and `mems_init` are both this with their own names.
 * @param options the caller's `MemsOptions` (checked here).
 * @param names the surface's function names.
 * @returns a live instance.
 * @throws MemsError `EINVAL` for bad options, naming `names.init`.
 */
export function openMems(options: unknown, names: CallNames): Mems {
  const heap = createHeapFromOptions(options, names.init, heapCallNames(names));
  let finished = false;

  const finishedError = (call: string, args: readonly unknown[]): MemsError =>
    new MemsError(
      'ESTATE',
      `${call}(${args.map(describeArgument).join(', ')}): this heap is finished (${names.finish} was called)`,
    );

  return {
    get isFinished() {
      return finished;
    },
    malloc(size) {
      if (finished) throw finishedError(names.malloc, [size]);
      return heap.allocate(size);
    },
    free(ptr) {
      if (finished) throw finishedError(names.free, [ptr]);
      heap.free(ptr);
    },
    get(ptr) {
      if (finished) throw finishedError(names.get, [ptr]);
      return heap.translate(ptr);
    },
    printStats(write) {
      if (finished) throw finishedError(names.printStats, write === undefined ? [] : [write]);
      if (write !== undefined && typeof write !== 'function')
        throw new MemsError(
          'EINVAL',
          `${names.printStats}(${describeValue(write)}): write must be a function`,
        );
      const text = formatSeedStats(heap.snapshot());
      if (write === undefined) writeToStdout(text);
      else write(text);
    },
    finish() {
      if (finished) throw finishedError(names.finish, []);
      try {
        heap.destroy();
      } finally {
        // destroy ends the heap even when some unmaps fail; called from inside the provider
        // it refuses (ESTATE) and the heap stays live.
        finished = heap.isDestroyed;
      }
    },
    calloc(count, size) {
      if (finished) throw finishedError(names.calloc, [count, size]);
      return heap.calloc(count, size);
    },
    realloc(ptr, size) {
      if (finished) throw finishedError(names.realloc, [ptr, size]);
      return heap.realloc(ptr, size);
    },
    view(ptr, byteLength) {
      if (finished) throw finishedError(names.view, byteLength === undefined ? [ptr] : [ptr, byteLength]);
      return heap.view(ptr, byteLength);
    },
    viewAs(type, ptr, count) {
      if (finished) throw finishedError(names.viewAs, count === undefined ? [type, ptr] : [type, ptr, count]);
      return heap.viewAs(type, ptr, count);
    },
    usableSize(ptr) {
      if (finished) throw finishedError(names.usableSize, [ptr]);
      return heap.usableSize(ptr);
    },
    trim() {
      if (finished) throw finishedError(names.trim, []);
      return heap.trim();
    },
    stats() {
      if (finished) throw finishedError(names.stats, []);
      return heap.snapshot();
    },
    validate() {
      if (finished) throw finishedError(names.validate, []);
      heap.validate();
    },
  };
}
