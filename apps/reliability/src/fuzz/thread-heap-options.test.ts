import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../integrity/random.js';
import { createThreadHeap, pickThreadHeapOptions, THREAD_POLICIES } from './thread-heap-options.js';

describe('the option rotation of pnpm fuzz --shared N', () => {
  it('covers every policy on both providers in eight runs, and the thread cache only when the build has it', () => {
    for (const supported of [false, true]) {
      const sets = Array.from({ length: 8 }, (_, run) =>
        pickThreadHeapOptions(run, mulberry32(run), supported),
      );
      for (const policy of THREAD_POLICIES)
        for (const provider of ['shared-mmap', 'shared-memory'])
          expect(sets.some((o) => o.policy === policy && o.provider === provider)).toBe(true);
      if (supported)
        for (const policy of THREAD_POLICIES)
          expect(sets.some((o) => o.policy === policy && o.threadCache)).toBe(true);
      else expect(sets.every((o) => !o.threadCache)).toBe(true);
      for (const o of sets)
        if (o.policy === 'first-fit' || o.policy === 'next-fit') expect(o.frontCache).toBeUndefined();
    }
  });

  it('makes a heap of every set the rotation picks', () => {
    for (let run = 0; run < 16; run++) {
      const heap = createThreadHeap(pickThreadHeapOptions(run, mulberry32(run * 7), false));
      const p = heap.mems.malloc(100);
      expect(heap.mems.stats().provider).toBe(heap.options.provider);
      heap.mems.free(p);
      heap.mems.finish();
      expect(heap.providerBytes() ?? 0).toBe(0);
    }
  });
});
