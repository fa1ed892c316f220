import { createMockProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap } from '../heap.js';

describe('translation and views', () => {
  it('translates interior addresses to the node base plus the offset', () => {
    const provider = createMockProvider();
    const heap = createHeap({ provider });
    heap.allocate(1000);
    const b = heap.allocate(1000);
    const base = BigInt(heap.snapshot().nodes[0]!.physicalAddress);
    expect(heap.translate(b)).toBe(base + 1000n);
    expect(heap.translate(b + 999)).toBe(base + 1999n);
    expect(() => heap.translate(b + 1000)).toThrow(/free hole/);
  });

  it('translates in large nodes with many segments, from either end', () => {
    const heap = createHeap({ provider: createMockProvider(), minNodePages: 16 });
    const blocks = Array.from({ length: 500 }, () => heap.allocate(100));
    const base = BigInt(heap.snapshot().nodes[0]!.physicalAddress);
    for (const b of blocks) expect(heap.translate(b + 50)).toBe(base + BigInt(b + 50 - 1000));
  });

  it('gives views that share memory with the block, seen through other views', () => {
    const heap = createHeap({ provider: createMockProvider() });
    const a = heap.allocate(64);
    heap.view(a + 8, 4).set([1, 2, 3, 4]);
    expect(Array.from(heap.view(a, 16))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0]);
    expect(heap.viewAs(Uint32Array, a + 8, 1)[0]).toBe(0x04030201);
  });
});
