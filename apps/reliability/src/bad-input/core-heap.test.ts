import { createHeap, type Heap } from '@mems/core';
import { createMockProvider, type MockPageProvider } from '@mems/os';
import { formatSeedStats } from '@mems/stats';
import { beforeAll, describe, expect, it } from 'vitest';
import { itRefuses } from './harness.js';
import {
  buildFixture,
  detachedNodeCases,
  detachFirstNode,
  type HeapCallNames,
  type HeapCalls,
  heapBadInputs,
  notLiveCases,
  observeHeap,
} from './heap-matrix.js';
import { badOptionCases } from './options-matrix.js';

const NAMES: HeapCallNames = {
  malloc: 'allocate',
  free: 'free',
  get: 'translate',
  realloc: 'realloc',
  calloc: 'calloc',
  view: 'view',
  viewAs: 'viewAs',
  usableSize: 'usableSize',
  trim: 'trim',
  stats: 'snapshot',
  validate: 'validate',
  finish: 'destroy',
  printStats: '',
};

/** A Heap under the matrix's names. */
function heapCalls(heap: Heap): HeapCalls {
  return {
    malloc: (size) => heap.allocate(size as number),
    free: (ptr) => heap.free(ptr as number),
    get: (ptr) => heap.translate(ptr as number),
    realloc: (ptr, size) => heap.realloc(ptr as number, size as number),
    calloc: (count, size) => heap.calloc(count as number, size as number),
    view: (...args) => heap.view(...(args as [number, number])),
    viewAs: (...args) => heap.viewAs(...(args as [Int32ArrayConstructor, number, number])),
    usableSize: (ptr) => heap.usableSize(ptr as number),
    trim: () => heap.trim(),
    stats: () => heap.snapshot(),
    validate: () => heap.validate(),
    finish: () => heap.destroy(),
  };
}

const untouched = createMockProvider();
const observeUntouched = () => `${untouched.mapCalls} maps, ${untouched.mappedBytes} bytes`;

describe('@mems/core createHeap and Heap methods refuse bad input and change nothing', () => {
  describe('createHeap with bad options', () => {
    itRefuses(
      badOptionCases(
        'createHeap',
        (o) => createHeap(o as never),
        () => untouched,
        false,
      ),
      observeUntouched,
    );
  });

  let provider: MockPageProvider;
  let heap: Heap;
  const observe = () =>
    [
      observeHeap(heapCalls(heap), provider, () => formatSeedStats(heap.snapshot())),
      JSON.stringify(heap.counters()),
    ].join('\n');

  describe('while live', () => {
    beforeAll(() => {
      provider = createMockProvider();
      heap = createHeap({ provider });
      buildFixture(heapCalls(heap));
    });
    itRefuses(
      heapBadInputs(NAMES, () => heapCalls(heap), { printStatsTakesWrite: false }),
      observe,
    );
  });

  describe("while live, with the first node's buffer detached (structuredClone with a transfer list)", () => {
    beforeAll(() => detachFirstNode(heapCalls(heap)));
    itRefuses(
      detachedNodeCases(NAMES, () => heapCalls(heap)),
      observe,
    );
  });

  describe('after destroy', () => {
    beforeAll(() => heap.destroy());
    const observeDestroyed = () =>
      `${heap.isDestroyed}; ${provider.mappedBytes} bytes; ${observeUntouched()}`;
    itRefuses(
      notLiveCases(NAMES, () => heapCalls(heap), ['printStats', 'finish']),
      observeDestroyed,
    );
    it('a second destroy does nothing (documented), and maps nothing', () => {
      const before = observeDestroyed();
      expect(() => heap.destroy()).not.toThrow();
      expect(observeDestroyed()).toBe(before);
    });
  });
});
