// Slabs of the medium classes (past 1 KiB, with `maxBlockSize` up to 8192) span several 4 KiB
// pages: every page of a slab leads the page map to it, so a free, realloc, view or refusal of
// any address in any of its pages finds its block; the block index is exact at every offset of
// every class; spans hold at least four blocks with at most 1/16 of the slab left over; an
// interior address on a later page of a slab is refused as interior; and empty slabs that
// classes keep are given back to the holes before the heap maps another node.

import { createMockProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap } from './heap.js';
import { SLAB_BYTES } from './memory/slab-layout.js';
import { SlabTable, slabBlockIndex, slabClassSizes, slabPagesFor } from './tables/slab-table.js';
import { refusalOf } from './test-support/refusal.js';
import { allocateUntilSlab, slabAt, slabWindow } from './test-support/slab-probes.js';

const medium = () =>
  createHeap({ provider: createMockProvider(), policy: 'tlsf', slabs: { maxBlockSize: 8192 } });

describe('slabs that span several pages', () => {
  it('hold at least four blocks of each class past 1 KiB and leave at most 1/16 of the slab', () => {
    for (const size of slabClassSizes(8192, 1)) {
      const span = slabPagesFor(size) * SLAB_BYTES;
      if (size <= 1024) {
        expect(span, `class ${size}`).toBe(SLAB_BYTES);
        continue;
      }
      expect(Math.floor(span / size), `class ${size}`).toBeGreaterThanOrEqual(4);
      expect((span % size) / span, `class ${size}`).toBeLessThanOrEqual(1 / 16);
    }
    expect(slabPagesFor(8192)).toBe(8);
    expect(slabPagesFor(2048)).toBe(2);
  });

  it('find the block of every offset exactly, for every class and alignment', () => {
    for (const alignment of [1, 8, 16, 64, 256]) {
      const slabs = new SlabTable({ maxBlockSize: 8192 }, alignment, 1000);
      for (let c = 0; c < slabs.classes; c++) {
        const size = slabs.classSize[c]!;
        for (let offset = 0; offset < slabs.classSpan[c]!; offset++)
          if (slabBlockIndex(slabs, c, offset) !== Math.floor(offset / size))
            expect.fail(`alignment ${alignment}, class ${size}: offset ${offset}`);
      }
    }
  });

  it('map every page of a slab to it, and find, free and refuse addresses on any of its pages', () => {
    const heap = medium();
    const size = 5000; // class 5120: 4 blocks in 20 KiB, five pages
    const blocks = allocateUntilSlab(heap, size);
    const first = blocks[blocks.length - 1]!;
    const { start, span } = slabWindow(heap, first);
    expect(span).toBe(5 * SLAB_BYTES);
    for (let page = 0; page < span; page += SLAB_BYTES)
      expect(slabAt(heap, start + page)).toBe(slabAt(heap, first));
    // Fill the slab: its blocks lie at multiples of 5120 across the pages.
    const inSlab = [first];
    while (inSlab.length < 4) inSlab.push(heap.allocate(size));
    expect(inSlab.map((p) => p - start).sort((a, b) => a - b)).toEqual([0, 5120, 10240, 15360]);
    heap.validate();
    // The block at 15360 starts on the fourth page and ends on the fifth: any interior byte is interior.
    const last = start + 15360;
    expect(heap.usableSize(last)).toBe(5120);
    expect(heap.view(last).length).toBe(5120);
    const interior = last + 5000;
    expect(Math.floor((interior - start) / SLAB_BYTES)).toBe(4);
    expect(refusalOf(() => heap.free(interior))).toBe(
      `EFAULT: free(${interior}): ${interior} is an interior address of the block at ${last}, not its start`,
    );
    // Four blocks of 5120 fill the five pages exactly: the last byte is the last block's.
    expect(refusalOf(() => heap.free(start + 20480 - 1))).toContain(
      `interior address of the block at ${last}`,
    );
    heap.free(last);
    expect(refusalOf(() => heap.free(last))).toMatch(/inside a free hole .*\(already freed\?\)$/);
    heap.validate();
    // A realloc to another medium class moves the block and keeps its bytes.
    heap.view(inSlab[1]!).fill(7);
    const moved = heap.realloc(inSlab[1]!, 7000);
    expect(heap.view(moved, 5120).every((b) => b === 7)).toBe(true);
    heap.validate();
  });

  it('show the tail past the last block of a slab as free memory', () => {
    const heap = medium();
    const p = allocateUntilSlab(heap, 1100).at(-1)!; // class 1152: 7 blocks in 8 KiB, 128 bytes left
    const { start, span } = slabWindow(heap, p);
    expect(span).toBe(2 * SLAB_BYTES);
    const tail = start + 7 * 1152;
    expect(refusalOf(() => heap.free(tail))).toMatch(
      /is inside a free hole \[\d+:\d+\] \(already freed\?\)$/,
    );
    const hole = heap
      .snapshot()
      .nodes.flatMap((n) => n.segments)
      .find((s) => s.start <= tail && tail <= s.lastAddress)!;
    expect(hole.kind).toBe('HOLE');
    heap.validate();
  });

  it('give the empty slabs that classes keep back to the holes before mapping another node', () => {
    const heap = medium();
    // Warm up and empty a slab in each of several medium classes: each class keeps one empty slab.
    for (const size of [1500, 3000, 6000]) for (const p of allocateUntilSlab(heap, size)) heap.free(p);
    for (const size of [1500, 3000, 6000]) {
      const p = allocateUntilSlab(heap, size).at(-1)!;
      heap.free(p);
    }
    const mapped = heap.bytesMapped;
    const kept = heap.counters();
    expect(kept.liveBlocks).toBe(0);
    // A block as large as all free memory fits only once those slabs are holes again: no new node.
    const largest = heap.snapshot().nodes.reduce((m, n) => Math.max(m, ...n.segments.map((s) => s.size)), 0);
    const big = heap.allocate(largest);
    expect(heap.bytesMapped).toBe(mapped);
    heap.free(big);
    heap.validate();
  });
});
