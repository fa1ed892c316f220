// Slabs are invisible in every view: a slab's free blocks and its tail are free memory merged
// with the holes beside them, its live blocks are PROCESS segments of their class's size. After
// each step of fixed scenarios (warm-up, full slabs, slabs freed in a pattern, emptied slabs,
// several classes side by side, several page sizes, alignments and start addresses), the
// snapshot tiles every node exactly with no two HOLEs adjacent, the counters are the
// snapshot's sums, validate passes, and every live address is a PROCESS segment's start of size
// usableSize(p) ≥ the size asked; slab blocks lie in their class's windows, aligned to 4 KiB
// from startAddress.

import { createMockProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap, type Heap } from './heap.js';
import type { HeapOptions } from './options/heap-options.js';
import { slabAt, slabWindow } from './test-support/slab-probes.js';

/** Checks every view of `heap`, whose live blocks are `live` (address → bytes asked). */
function expectInvisible(heap: Heap, live: Map<number, number>): void {
  heap.validate();
  const snapshot = heap.snapshot();
  const totals = { bytesInUse: 0, bytesFree: 0, liveBlocks: 0, holes: 0, segments: 0 };
  const blocks = new Map<number, number>();
  for (const node of snapshot.nodes) {
    let at = node.start;
    let previous = '';
    for (const seg of node.segments) {
      if (seg.start !== at || seg.size <= 0 || seg.lastAddress !== seg.start + seg.size - 1)
        expect.fail(`node ${node.start}: segment ${JSON.stringify(seg)} does not start at ${at}`);
      if (seg.kind === 'HOLE' && previous === 'HOLE') expect.fail(`two holes meet at ${seg.start}`);
      if (seg.kind === 'HOLE') {
        totals.holes++;
        totals.bytesFree += seg.size;
      } else {
        totals.liveBlocks++;
        totals.bytesInUse += seg.size;
        blocks.set(seg.start, seg.size);
      }
      totals.segments++;
      previous = seg.kind;
      at += seg.size;
    }
    expect(at).toBe(node.lastAddress + 1);
  }
  const mapped = snapshot.nodes.reduce((sum, n) => sum + n.size, 0);
  expect(snapshot.counters).toEqual({
    ...totals,
    bytesMapped: mapped,
    pagesMapped: mapped / snapshot.pageSize,
    nodes: snapshot.nodes.length,
  });
  expect(heap.counters()).toEqual(snapshot.counters);
  expect(heap.bytesMapped).toBe(mapped);
  expect(blocks.size).toBe(live.size);
  // (Plain comparisons in the loop: an expect per block made the scenarios slow.)
  for (const [p, asked] of live) {
    const size = heap.usableSize(p);
    if (size < asked || blocks.get(p) !== size)
      expect.fail(`block ${p} (asked ${asked}): usableSize ${size}, snapshot segment ${blocks.get(p)}`);
    // In a slab: a window of its class's span aligned to 4 KiB from startAddress, at a
    // multiple of the class size.
    if (slabAt(heap, p) < 0) continue;
    const { start, span } = slabWindow(heap, p);
    const offset = p - start;
    if ((start - snapshot.startAddress) % 4096 !== 0 || offset % size !== 0 || offset + size > span)
      expect.fail(
        `slab block ${p} of ${size} bytes is at offset ${offset} of its ${span}-byte window at ${start}`,
      );
  }
}

const configurations: [string, HeapOptions][] = [
  ['tlsf', { policy: 'tlsf' }],
  ['first-fit, startAddress 0', { startAddress: 0 }],
  ['best-fit, alignment 16', { policy: 'best-fit', alignment: 16 }],
  [
    'next-fit, pageSize 16384, startAddress 12296',
    { policy: 'next-fit', pageSize: 16384, startAddress: 12296 },
  ],
  ['tlsf, alignment 8, maxBlockSize 2048', { policy: 'tlsf', alignment: 8, slabs: { maxBlockSize: 2048 } }],
  ['tlsf, maxBlockSize 8192 (multi-page slabs)', { policy: 'tlsf', slabs: { maxBlockSize: 8192 } }],
  [
    'tlsf with the front cache',
    { policy: 'tlsf', frontCache: { maxBlockSize: 4096 }, slabs: { maxBlockSize: 256 } },
  ],
  ['first-fit, autoTrim', { autoTrim: true }],
];

describe.each(configurations)('slabs are invisible in every view (%s)', (_name, options) => {
  const fresh = () => createHeap({ provider: createMockProvider(), slabs: true, ...options });

  it('through a class warming up and filling slabs', () => {
    const heap = fresh();
    const live = new Map<number, number>();
    for (let i = 0; i < 700; i++) {
      const asked = 17 + (i % 8); // one class (24 at alignment ≤ 8)
      live.set(heap.allocate(asked), asked);
      if (i % 10 === 0 || (i > 160 && i < 200)) expectInvisible(heap, live);
    }
    expect([...live.keys()].some((p) => slabAt(heap, p) >= 0)).toBe(true);
  });

  it('with slab blocks freed in patterns, emptied slabs and their tails beside holes', () => {
    const heap = fresh();
    const live = new Map<number, number>();
    const all: number[] = [];
    for (let i = 0; i < 600; i++) {
      const p = heap.allocate(20);
      all.push(p);
      live.set(p, 20);
    }
    expectInvisible(heap, live);
    // Every other block, then every third of the rest, then runs: holes of one and more blocks.
    all.forEach((p, i) => {
      if (i % 2 === 0) {
        heap.free(p);
        live.delete(p);
      }
    });
    expectInvisible(heap, live);
    all.forEach((p, i) => {
      if (i % 2 === 1 && i % 3 === 0) {
        heap.free(p);
        live.delete(p);
      }
    });
    expectInvisible(heap, live);
    all.slice(300, 520).forEach((p, i) => {
      if (live.delete(p)) heap.free(p);
      if (i % 4 === 0) expectInvisible(heap, live);
    });
    // Allocated again: the slabs' free blocks are reused, and the views follow.
    for (let i = 0; i < 200; i++) {
      const p = heap.allocate(24);
      expect(live.has(p)).toBe(false);
      live.set(p, 24);
    }
    expectInvisible(heap, live);
    for (const p of [...live.keys()]) {
      heap.free(p);
      live.delete(p);
    }
    expectInvisible(heap, live);
  });

  it('with several classes and large blocks side by side', () => {
    const heap = fresh();
    const live = new Map<number, number>();
    const sizes = [1, 8, 16, 33, 64, 120, 129, 250, 256, 400, 513, 1000, 1024, 1500, 2048, 3000, 9000];
    let x = 11;
    for (let i = 0; i < 1500; i++) {
      x = (x * 48271) % 2147483647;
      if (live.size > 0 && x % 3 === 0) {
        const keys = [...live.keys()];
        const p = keys[x % keys.length]!;
        heap.free(p);
        live.delete(p);
      } else {
        const asked = sizes[x % sizes.length]!;
        live.set(heap.allocate(asked), asked);
      }
      if (i % 25 === 0) expectInvisible(heap, live);
    }
    expectInvisible(heap, live);
    heap.trim();
    expectInvisible(heap, live);
  });
});
