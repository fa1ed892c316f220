// realloc of slab blocks: a new size of the same class keeps the block where it is (same
// address, same bytes, nothing else changes); any other size moves it, keeping min(old, new)
// bytes, whether to a slab of another class, to a block placed in a hole (a class still warming
// up) or to a large block past the slabs' limit, and back again; the old slab block is freed
// (refused as already freed afterwards) and the heap stays valid and shows only live blocks.

import { createMockProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap, type Heap } from './heap.js';
import type { HeapOptions } from './options/heap-options.js';
import { allocateUntilSlab, slabAt } from './test-support/slab-probes.js';

/** Allocates `size`-byte blocks until one comes from a slab; returns that one (others stay). */
function slabBlock(heap: Heap, size: number): number {
  return allocateUntilSlab(heap, size).at(-1)!;
}

/** Fills `p`'s usable bytes with 1, 2, 3, ... (mod 251). */
function pattern(heap: Heap, p: number): number {
  const bytes = heap.view(p);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i % 251) + 1;
  return bytes.length;
}

/** Whether `p`'s first `n` bytes still hold {@link pattern}. */
function holdsPattern(heap: Heap, p: number, n: number): boolean {
  const bytes = heap.view(p, n);
  return bytes.every((b, i) => b === (i % 251) + 1);
}

describe.each([
  ['tlsf', { policy: 'tlsf' }],
  ['first-fit, alignment 8', { alignment: 8 }],
  ['best-fit, alignment 16, pageSize 16384', { policy: 'best-fit', alignment: 16, pageSize: 16384 }],
  ['tlsf with the front cache', { policy: 'tlsf', frontCache: true }],
  ['tlsf, autoTrim', { policy: 'tlsf', autoTrim: true }],
  ['tlsf, maxBlockSize 8192', { policy: 'tlsf', slabs: { maxBlockSize: 8192 } }],
] as [string, HeapOptions][])('realloc of a slab block (%s)', (_name, options) => {
  const fresh = () => createHeap({ provider: createMockProvider(), slabs: true, ...options });

  it('stays in place for any size of its class', () => {
    const heap = fresh();
    const p = slabBlock(heap, 100);
    const size = heap.usableSize(p);
    pattern(heap, p);
    const before = heap.snapshot();
    // 97..100 are in 100's class at any alignment up to 16 (the class below is 96).
    for (const n of [97, 98, 99, 100, size - 1, size]) {
      expect(heap.realloc(p, n)).toBe(p);
      expect(heap.usableSize(p)).toBe(size);
      expect(heap.snapshot()).toEqual(before);
    }
    expect(heap.realloc(p, size)).toBe(p);
    expect(heap.realloc(p, 100)).toBe(p);
    expect(holdsPattern(heap, p, size)).toBe(true);
    expect(heap.snapshot()).toEqual(before);
    heap.validate();
  });

  it.each([
    ['a larger class', 100, 300],
    ['a smaller class', 300, 40],
    ['a class still warming up (placed in a hole)', 100, 900],
    ['a large block past the limit', 100, 5000],
    ['a much smaller class', 1000, 16],
  ])('moves to %s, keeping min(old, new) bytes, and frees the old block', (_label, from, to) => {
    const heap = fresh();
    const p = slabBlock(heap, from);
    const old = pattern(heap, p);
    const q = heap.realloc(p, to);
    expect(q).not.toBe(p);
    expect(heap.usableSize(q)).toBeGreaterThanOrEqual(to);
    expect(holdsPattern(heap, q, Math.min(old, heap.usableSize(q)))).toBe(true);
    // (With autoTrim the emptied slab's node may be gone too.)
    expect(() => heap.free(p)).toThrow(/already freed\?|not inside any mapped node/);
    heap.validate();
    const counters = heap.counters();
    heap.free(q);
    expect(heap.counters().liveBlocks).toBe(counters.liveBlocks - 1);
  });

  it('moves into the first slab of the new class that has a free block', () => {
    const heap = fresh();
    const neighbour = slabBlock(heap, 300);
    const p = slabBlock(heap, 100);
    const old = pattern(heap, p);
    const liveBlocks = heap.counters().liveBlocks;
    const q = heap.realloc(p, 300);
    expect(slabAt(heap, q)).toBe(slabAt(heap, neighbour));
    expect(holdsPattern(heap, q, old)).toBe(true);
    expect(heap.counters().liveBlocks).toBe(liveBlocks);
    expect(() => heap.free(p)).toThrow(/already freed\?|not inside any mapped node/);
    heap.validate();
  });

  it('refuses a move between slabs whose memory cannot be reached (EFAULT), changing nothing', () => {
    const heap = fresh();
    slabBlock(heap, 300);
    const p = slabBlock(heap, 100);
    // Detaching the buffer under p's node, as postMessage(view, [view.buffer]) would.
    const bytes = heap.view(p);
    const size = heap.usableSize(p);
    structuredClone(bytes, { transfer: [bytes.buffer] });
    const before = JSON.stringify([heap.snapshot(), heap.counters()]);
    expect(() => heap.realloc(p, 300)).toThrow(expect.objectContaining({ code: 'EFAULT' }));
    expect(JSON.stringify([heap.snapshot(), heap.counters()])).toBe(before);
    expect(heap.usableSize(p)).toBe(size);
  });

  it('goes out to a large block and back into a slab, keeping its bytes', () => {
    const heap = fresh();
    const p = slabBlock(heap, 200);
    const size = pattern(heap, p);
    const big = heap.realloc(p, 20000);
    expect(slabAt(heap, big)).toBe(-1);
    expect(holdsPattern(heap, big, size)).toBe(true);
    pattern(heap, big);
    // Back to the slab size: a large block shrinks in place (only slab blocks never do).
    const back = heap.realloc(big, 200);
    expect(back).toBe(big);
    expect(heap.usableSize(back)).toBe(size);
    expect(holdsPattern(heap, back, size)).toBe(true);
    heap.validate();
    // Out again and back through a move: a slab block of its class, bytes kept.
    const far = heap.realloc(back, 30000);
    const small = heap.allocate(200);
    const again = heap.realloc(far, 60000);
    const home = heap.realloc(small, 200);
    expect(home).toBe(small);
    expect(slabAt(heap, small)).toBeGreaterThanOrEqual(0);
    expect(holdsPattern(heap, again, size)).toBe(true);
    heap.validate();
  });

  it('shrinks a large block to a slab size in place (the block is not in a slab)', () => {
    const heap = fresh();
    slabBlock(heap, 64); // the class has a slab
    const big = heap.allocate(5000);
    pattern(heap, big);
    const small = heap.realloc(big, 64);
    expect(small).toBe(big);
    expect(slabAt(heap, small)).toBe(-1);
    expect(heap.usableSize(small)).toBe(heap.usableSize(slabBlock(heap, 64)));
    expect(holdsPattern(heap, small, 64)).toBe(true);
    heap.validate();
  });

  it('chains of reallocs across classes keep the first bytes and leave only the last block live', () => {
    const heap = fresh();
    const live = Array.from({ length: 50 }, () => slabBlock(heap, 48));
    const base = heap.counters().liveBlocks;
    let p = live[10]!;
    let kept = pattern(heap, p);
    for (const n of [56, 1024, 16, 2000, 48, 600, 17, 3000, 24]) {
      const q = heap.realloc(p, n);
      kept = Math.min(kept, heap.usableSize(q));
      expect(holdsPattern(heap, q, kept)).toBe(true);
      expect(heap.counters().liveBlocks).toBe(base);
      heap.validate();
      p = q;
    }
  });
});
