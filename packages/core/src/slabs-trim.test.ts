// trim and autoTrim with slabs: after every block is freed, trim() releases every empty slab
// (the one kept first in its class's list included) and then returns every node, so that no
// node and no mapped byte is left; with autoTrim, freeing the last block leaves no node (an
// emptied slab is always released, then its node unmapped when it holds nothing else). Without
// autoTrim an emptied slab first in its class's list is kept (the next block of its class
// reuses it), others are released; trim() also returns a node that holds only a kept empty slab.

import { createMockProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap, type Heap } from './heap.js';
import type { HeapOptions } from './options/heap-options.js';

/** The heap's slab table (internal, read only: to see which slabs exist). */
function slabs(heap: Heap): { count: number; slabAt(address: number): number } {
  return (heap as unknown as { t: { slabs: { count: number; slabAt(address: number): number } } }).t.slabs;
}

/** Allocates `size`-byte blocks until one comes from a slab (the class warmed up); returns all. */
function warm(heap: Heap, size: number): number[] {
  const blocks: number[] = [];
  do blocks.push(heap.allocate(size));
  while (slabs(heap).slabAt(blocks[blocks.length - 1]!) < 0 && blocks.length < 2000);
  expect(slabs(heap).slabAt(blocks[blocks.length - 1]!)).toBeGreaterThanOrEqual(0);
  return blocks;
}

/** A mix of slab blocks of several classes, blocks placed in holes and large blocks. */
function populate(heap: Heap): number[] {
  const blocks: number[] = [];
  for (const size of [16, 100, 700, 1024]) {
    blocks.push(...warm(heap, size));
    for (let i = 0; i < 30; i++) blocks.push(heap.allocate(size));
  }
  for (const size of [2000, 5000, 40000]) blocks.push(heap.allocate(size));
  return blocks;
}

/** A deterministic shuffle. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 48271) % 2147483647;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const configurations: [string, HeapOptions][] = [
  ['tlsf', { policy: 'tlsf' }],
  ['first-fit, pageSize 16384', { pageSize: 16384 }],
  ['best-fit, alignment 16', { policy: 'best-fit', alignment: 16 }],
  ['next-fit, maxBlockSize 2048', { policy: 'next-fit', slabs: { maxBlockSize: 2048 } }],
  ['tlsf with the front cache', { policy: 'tlsf', frontCache: true }],
  ['tlsf, startAddress 0', { policy: 'tlsf', startAddress: 0 }],
];

describe.each(configurations)('trim with slabs (%s)', (_name, options) => {
  it.each([1, 2, 3])('returns every node once every block is freed (order %i)', (seed) => {
    const provider = createMockProvider();
    const heap = createHeap({ provider, slabs: true, ...options });
    const blocks = populate(heap);
    expect(slabs(heap).count).toBeGreaterThan(0);
    for (const p of shuffled(blocks, seed)) heap.free(p);
    heap.validate();
    const mapped = heap.counters().bytesMapped;
    expect(heap.counters()).toMatchObject({ liveBlocks: 0, bytesInUse: 0, bytesFree: mapped });
    expect(heap.trim()).toBe(mapped);
    heap.validate();
    expect(heap.counters()).toMatchObject({
      nodes: 0,
      bytesMapped: 0,
      pagesMapped: 0,
      segments: 0,
      holes: 0,
    });
    expect(heap.snapshot().nodes).toEqual([]);
    expect(slabs(heap).count).toBe(0);
    expect(provider.mappedBytes).toBe(0);
    // The heap works on afterwards.
    const again = populate(heap);
    heap.validate();
    for (const p of again) heap.free(p);
    heap.trim();
    expect(provider.mappedBytes).toBe(0);
  });

  it('keeps the nodes that still hold a live block, slab or not, and their bytes', () => {
    const provider = createMockProvider();
    const heap = createHeap({ provider, slabs: true, ...options });
    const blocks = populate(heap);
    const keep = [blocks[0]!, blocks[blocks.length - 40]!, blocks[blocks.length - 1]!];
    for (const p of keep) heap.view(p).fill(0x5a);
    for (const p of blocks) if (!keep.includes(p)) heap.free(p);
    heap.trim();
    heap.validate();
    expect(heap.counters().liveBlocks).toBe(keep.length);
    for (const p of keep) expect(heap.view(p).every((b) => b === 0x5a)).toBe(true);
    for (const p of keep) heap.free(p);
    heap.trim();
    expect(heap.counters().nodes).toBe(0);
    expect(provider.mappedBytes).toBe(0);
  });
});

describe('trim releases an empty slab kept first in its class', () => {
  it('without autoTrim, a class emptied keeps its first slab and reuses it', () => {
    const heap = createHeap({ provider: createMockProvider(), policy: 'tlsf', slabs: true });
    const blocks = warm(heap, 48);
    const slabbed = blocks[blocks.length - 1]!;
    const more = [heap.allocate(48), heap.allocate(48)];
    for (const p of [slabbed, ...more]) heap.free(p);
    // Kept (invisible: free memory) and reused: the next 48-byte block is where the first was.
    expect(slabs(heap).count).toBe(1);
    heap.validate();
    expect(heap.allocate(48)).toBe(slabbed);
  });

  it('trim returns a node that holds only an empty kept slab', () => {
    const provider = createMockProvider();
    const heap = createHeap({ provider, policy: 'tlsf', slabs: { maxBlockSize: 2048 } });
    // Fill a first node with a large block, so that the class's slab lies in a node of its own.
    const big = heap.allocate(4096);
    const blocks = warm(heap, 2048);
    const slabbed = blocks[blocks.length - 1]!;
    heap.free(slabbed);
    expect(slabs(heap).count).toBe(1);
    const others = blocks.slice(0, -1);
    for (const p of others) heap.free(p);
    const nodesBefore = heap.counters().nodes;
    expect(heap.trim()).toBeGreaterThan(0);
    heap.validate();
    expect(slabs(heap).count).toBe(0);
    expect(heap.counters().nodes).toBe(1);
    expect(heap.counters().nodes).toBeLessThan(nodesBefore);
    expect(heap.usableSize(big)).toBe(4096);
    heap.free(big);
    heap.trim();
    expect(provider.mappedBytes).toBe(0);
  });

  it('an emptied slab that is not first in its class is released at once', () => {
    const heap = createHeap({ provider: createMockProvider(), policy: 'tlsf', slabs: true });
    const blocks = warm(heap, 1024); // four 1024-byte blocks per slab
    for (let i = 0; i < 12; i++) blocks.push(heap.allocate(1024));
    const count = slabs(heap).count;
    expect(count).toBeGreaterThanOrEqual(3);
    // Empty every slab but keep one block of the newest: only it may stay, others are released.
    const inSlabs = blocks.filter((p) => slabs(heap).slabAt(p) >= 0);
    const newest = inSlabs[inSlabs.length - 1]!;
    for (const p of inSlabs) if (p !== newest) heap.free(p);
    heap.validate();
    expect(slabs(heap).count).toBeLessThanOrEqual(2);
    heap.free(newest);
    heap.trim();
    expect(slabs(heap).count).toBe(0);
  });
});

describe.each(configurations.filter(([, o]) => o.frontCache === undefined))(
  'autoTrim with slabs (%s)',
  (_name, options) => {
    it.each([1, 2, 3])('freeing the last block leaves no node (order %i)', (seed) => {
      const provider = createMockProvider();
      const heap = createHeap({ provider, slabs: true, autoTrim: true, ...options });
      const blocks = populate(heap);
      const order = shuffled(blocks, seed);
      order.forEach((p, i) => {
        heap.free(p);
        if (i % 17 === 0) heap.validate();
      });
      heap.validate();
      expect(heap.counters()).toMatchObject({ nodes: 0, bytesMapped: 0, segments: 0 });
      expect(slabs(heap).count).toBe(0);
      expect(provider.mappedBytes).toBe(0);
      expect(heap.trim()).toBe(0);
    });

    it('releases an emptied slab even when it is first in its class, and unmaps its node', () => {
      const provider = createMockProvider();
      const heap = createHeap({ provider, slabs: { maxBlockSize: 2048 }, autoTrim: true, ...options });
      const big = heap.allocate(4096);
      const blocks = warm(heap, 2048);
      const slabbed = blocks[blocks.length - 1]!;
      for (const p of blocks.slice(0, -1)) heap.free(p);
      heap.free(slabbed);
      heap.validate();
      expect(slabs(heap).count).toBe(0);
      // Every node left holds a live block (the slab's node went, unless big's node holds it).
      const nodes = heap.snapshot().nodes;
      expect(nodes.every((n) => n.segments.some((seg) => seg.kind === 'PROCESS'))).toBe(true);
      expect(nodes.length).toBe(1);
      heap.free(big);
      expect(heap.counters().nodes).toBe(0);
      expect(provider.mappedBytes).toBe(0);
    });
  },
);
