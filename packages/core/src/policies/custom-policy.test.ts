import { createMockProvider } from '@mems/os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHeap } from '../index.js';
import { worstFitFactory } from '../test-support/worst-fit-policy.js';

describe('a placement policy written by a user', () => {
  it('places every block the way it chooses: worst fit takes the largest hole', () => {
    const factory = worstFitFactory();
    const heap = createHeap({ provider: createMockProvider(), policy: factory });
    const a = heap.allocate(1000); // node 1: [1000:5095]
    const b = heap.allocate(5000); // too large for node 1's hole: node 2 [5096:13287]
    expect([a, b]).toEqual([1000, 5096]);
    // Holes now: 3096 bytes at 2000 (node 1), 3192 bytes at 10096 (node 2). First fit would
    // take 2000; worst fit takes the larger hole.
    expect(heap.allocate(100)).toBe(10096);
    expect(heap.snapshot().policy).toBe('worst-fit');
    heap.validate(); // the heap asks the policy to check its index against the holes
    heap.destroy();
  });

  it('is told about holes in the documented order: a resized hole already shows its new values', () => {
    const factory = worstFitFactory();
    const heap = createHeap({ provider: createMockProvider(), policy: factory });
    const a = heap.allocate(1000);
    heap.free(a);
    const calls = factory.created[0]!.calls;
    expect(calls).toEqual([
      'add 0 1000 4096', // the new node's one hole
      'resized 0 1000 4096 → 2000 3096', // the block took its front
      'resized 0 2000 3096 → 1000 4096', // the freed block merged back into it
    ]);
    heap.destroy();
  });

  it('keeps the heap valid through random operation sequences', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 1, max: 9000 }), fc.constant(-1)), { maxLength: 80 }),
        (ops) => {
          const heap = createHeap({ provider: createMockProvider(), policy: worstFitFactory() });
          const live: number[] = [];
          for (const op of ops) {
            if (op === -1) {
              if (live.length > 0) heap.free(live.splice(live.length >> 1, 1)[0]!);
            } else {
              live.push(heap.allocate(op));
            }
            heap.validate();
          }
          heap.destroy();
        },
      ),
    );
  });
});
