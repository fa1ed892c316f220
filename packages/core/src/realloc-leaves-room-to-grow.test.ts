// A block that a realloc has to move, because the block after it is live, grew and will likely
// grow again (a buffer read in chunks, a vector doubling). So the move takes the front of a
// hole with room for as much again when the heap has one, and the next growth happens in
// place, with no copy; when no hole is that large, the move takes a hole that fits, as before.

import { createMockProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap, type Heap } from './heap.js';
import type { HeapOptions } from './options/heap-options.js';

/** A heap of one-page minimum nodes on mock pages with `options`. */
function heapWith(options: HeapOptions): Heap {
  return createHeap({ provider: createMockProvider(), ...options });
}

/** Fills `p`'s first `n` bytes with 1, 2, 3, ... (mod 251). */
function fill(heap: Heap, p: number, n: number): void {
  const bytes = heap.view(p, n);
  for (let i = 0; i < n; i++) bytes[i] = (i % 251) + 1;
}

/** Whether `p`'s first `n` bytes still hold what {@link fill} wrote. */
function holdsFill(heap: Heap, p: number, n: number): boolean {
  return heap.view(p, n).every((b, i) => b === (i % 251) + 1);
}

describe.each([
  ['first-fit', {}],
  ['best-fit', { policy: 'best-fit' }],
  ['tlsf', { policy: 'tlsf' }],
  [
    'tlsf with slabs and the front cache',
    { policy: 'tlsf', slabs: { maxBlockSize: 8192 }, frontCache: true },
  ],
] as [string, HeapOptions][])('a moving realloc (%s)', (_name, options) => {
  it('moves into a hole with room to grow again, so the next growth is in place', () => {
    const heap = heapWith(options);
    const p = heap.allocate(10000);
    const blocker = heap.allocate(100);
    // A hole that fits 12000 bytes but not twice that, first, then one of 64 KiB; a live block
    // after each, so that nothing merges into them.
    const fits = heap.allocate(16000);
    heap.allocate(100);
    const room = heap.allocate(65536);
    heap.allocate(100);
    heap.free(fits);
    heap.free(room);
    fill(heap, p, 10000);
    const q = heap.realloc(p, 12000);
    expect(q).not.toBe(p);
    expect(q).toBe(room);
    const grown = heap.realloc(q, 20000);
    expect(grown).toBe(q);
    expect(holdsFill(heap, grown, 10000)).toBe(true);
    expect(heap.usableSize(blocker)).toBeGreaterThanOrEqual(100);
    heap.validate();
  });

  it('takes a hole that only fits when no hole has room for as much again', () => {
    const heap = heapWith(options);
    const p = heap.allocate(10000);
    heap.allocate(100);
    const fits = heap.allocate(16000);
    heap.allocate(100);
    heap.free(fits);
    fill(heap, p, 10000);
    const before = heap.bytesMapped;
    const q = heap.realloc(p, 15000);
    expect(q).toBe(fits);
    expect(heap.bytesMapped).toBe(before);
    expect(holdsFill(heap, q, 10000)).toBe(true);
    heap.validate();
  });
});
