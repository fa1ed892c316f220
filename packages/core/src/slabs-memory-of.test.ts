// memoryOf on slab blocks: the same object for every address of one node (slab blocks, their
// interior bytes, blocks placed in holes in that node) while the node lives; a different one
// for another node; `m.u8[p - m.base]` is the byte `view(p, 1)[0]` holds, both ways, and
// `m.f64` reaches an 8-aligned slab block's words; after a slab block is freed, memoryOf of it
// (start or interior) is EFAULT worded as for a freed block, while its neighbours still answer.

import { createMockProvider, isMemsError } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap, type Heap } from './heap.js';
import type { HeapOptions } from './options/heap-options.js';
import { slabAt } from './test-support/slab-probes.js';

/** The node (from the snapshot) that holds `address`. */
function nodeStart(heap: Heap, address: number): number {
  return heap.snapshot().nodes.find((n) => address >= n.start && address <= n.lastAddress)!.start;
}

/** Allocates `size`-byte blocks until some come from a slab; returns them all. */
function warm(heap: Heap, size: number, extra = 20): number[] {
  const blocks: number[] = [];
  do blocks.push(heap.allocate(size));
  while (slabAt(heap, blocks[blocks.length - 1]!) < 0 && blocks.length < 2000);
  for (let i = 0; i < extra; i++) blocks.push(heap.allocate(size));
  expect(slabAt(heap, blocks[blocks.length - 1]!)).toBeGreaterThanOrEqual(0);
  return blocks;
}

describe.each([
  ['tlsf', { policy: 'tlsf' }],
  ['first-fit, pageSize 65536, alignment 8', { pageSize: 65536, alignment: 8 }],
  ['best-fit, startAddress 0, alignment 16', { policy: 'best-fit', startAddress: 0, alignment: 16 }],
  ['tlsf with the front cache', { policy: 'tlsf', frontCache: true }],
] as [string, HeapOptions][])('memoryOf on slab blocks (%s)', (_name, options) => {
  it('is one object per node, for every address of it, slab block or not', () => {
    const heap = createHeap({ provider: createMockProvider(), slabs: true, ...options });
    const blocks = [...warm(heap, 40), ...warm(heap, 200), heap.allocate(5000)];
    const byNode = new Map<number, unknown>();
    for (const p of blocks) {
      const size = heap.usableSize(p);
      for (const address of [p, p + 1, p + size - 1]) {
        const m = heap.memoryOf(address);
        const node = nodeStart(heap, address);
        if (!byNode.has(node)) byNode.set(node, m);
        expect(m).toBe(byNode.get(node));
      }
    }
    expect(new Set(byNode.values()).size).toBe(byNode.size);
    expect(blocks.some((p) => slabAt(heap, p) >= 0)).toBe(true);
  });

  it('reads and writes the bytes view() sees', () => {
    const heap = createHeap({ provider: createMockProvider(), slabs: true, ...options });
    const blocks = warm(heap, 24);
    const slabbed = blocks.filter((p) => slabAt(heap, p) >= 0);
    blocks.forEach((p, i) => {
      heap.view(p).fill((i % 250) + 1);
    });
    blocks.forEach((p, i) => {
      const m = heap.memoryOf(p);
      const size = heap.usableSize(p);
      for (const offset of [0, 5, size - 1]) {
        expect(m.u8[p + offset - m.base]).toBe((i % 250) + 1);
        expect(heap.view(p + offset, 1)[0]).toBe((i % 250) + 1);
      }
    });
    for (const p of slabbed) {
      const m = heap.memoryOf(p + 3);
      m.u8[p + 3 - m.base] = 0xee;
      expect(heap.view(p, 4)[3]).toBe(0xee);
      expect(m.dataView.getUint8(p + 3 - m.base)).toBe(0xee);
    }
    // A block's bytes are only its own: neighbours in the slab kept theirs.
    slabbed.forEach((p) => {
      expect(heap.view(p, 1)[0]).not.toBe(0xee);
    });
  });

  it('reaches an 8-aligned slab block as f64 words', () => {
    const heap = createHeap({ provider: createMockProvider(), slabs: true, alignment: 8, ...options });
    const slabbed = warm(heap, 64).filter((p) => slabAt(heap, p) >= 0);
    slabbed.forEach((p, i) => {
      const m = heap.memoryOf(p);
      m.f64[(p - m.base) >> 3] = i + 0.5;
      m.f64[(p + 56 - m.base) >> 3] = -i;
    });
    slabbed.forEach((p, i) => {
      const words = heap.viewAs(Float64Array, p);
      expect(words.length).toBe(8);
      expect(words[0]).toBe(i + 0.5);
      expect(words[7]).toBe(-i);
    });
  });

  it('is EFAULT for a freed slab block, start or interior; its neighbours still answer', () => {
    const heap = createHeap({ provider: createMockProvider(), slabs: true, ...options });
    const slabbed = warm(heap, 100).filter((p) => slabAt(heap, p) >= 0);
    const m = heap.memoryOf(slabbed[0]!);
    const gone = slabbed[2]!;
    const size = heap.usableSize(gone);
    heap.free(gone);
    const before = heap.snapshot();
    for (const address of [gone, gone + 1, gone + size - 1]) {
      let error: unknown;
      try {
        heap.memoryOf(address);
      } catch (e) {
        error = e;
      }
      expect(isMemsError(error) && error.code).toBe('EFAULT');
      expect((error as Error).message).toBe(
        `memoryOf(${address}): ${address} is inside a free hole [${gone}:${gone + size - 1}] (already freed?)`,
      );
    }
    expect(heap.snapshot()).toEqual(before);
    expect(heap.memoryOf(slabbed[1]!)).toBe(m);
    expect(heap.memoryOf(slabbed[3]! + 1)).toBe(m);
    // Allocated again (the slab reuses the freed block): memoryOf answers again, same object.
    expect(heap.allocate(100)).toBe(gone);
    expect(heap.memoryOf(gone)).toBe(m);
  });

  it('is a new object after the node is trimmed and mapped again, and EFAULT in between', () => {
    const heap = createHeap({ provider: createMockProvider(), slabs: true, ...options });
    const blocks = warm(heap, 32);
    const last = blocks[blocks.length - 1]!;
    const m = heap.memoryOf(last);
    for (const p of blocks) heap.free(p);
    heap.trim();
    expect(heap.counters().nodes).toBe(0);
    expect(() => heap.memoryOf(last)).toThrow(/not inside any mapped node/);
    const again = warm(heap, 32);
    const m2 = heap.memoryOf(again[again.length - 1]!);
    // (Compared by identity: toBe's deep-equality hint would touch the old, detached buffer.)
    expect(m2 === m).toBe(false);
    heap.view(again[0]!)[0] = 7;
    expect(m2.u8[again[0]! - m2.base]).toBe(7);
  });
});
