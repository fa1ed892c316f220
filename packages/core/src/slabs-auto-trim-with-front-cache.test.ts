// autoTrim with both slabs and the front cache: when a free empties a slab and the slab's node
// then holds no live block, the node may be unmapped only once the front cache holds none of
// its blocks (as free does for an ordinary block: it flushes the cache before freeing a node's
// last block). Afterwards the heap must be valid and never hand out a block of an unmapped node.
//
// Regression test for a bug found at commit eb78358 (the working tree has since added a flush
// before the emptied node is unmapped). There, Heap.free (and realloc's freeLive) freed a slab
// block through freeInSlab and, when the slab was released and its node's live count was 0,
// called trimEmptiedNode directly, without the flush freeThroughCache does. The node was
// unmapped while the cache still held a block in it: dropNodeHole dropped only the node's first
// segment, the counters kept a hole, validate failed ("counter holes is 1, the chain has 0"),
// and the next allocation of that cached size returned an address in the unmapped node (a view
// of it: EFAULT "its pages were unmapped"). Minimal sequence (pageSize 16384, tlsf, slabs
// { maxBlockSize: 2048 }, frontCache { maxBlockSize: 4096 }, autoTrim): a = allocate(2048),
// b = allocate(2048) (the class's warm-up: placed in holes), s = allocate(2048) (a slab
// block), c = allocate(3000); free(c) (cached), free(a), free(b), free(s): the node is
// unmapped with c's block still cached; allocate(3000) then returns 9192 in no live node.
// realloc moving the node's last slab block out (to a new node) takes the same path.

import { createMockProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap } from './heap.js';

const options = {
  pageSize: 16384,
  policy: 'tlsf' as const,
  slabs: { maxBlockSize: 2048 },
  frontCache: { maxBlockSize: 4096 },
  autoTrim: true,
};

describe('autoTrim with slabs and the front cache', () => {
  it('frees the last block of a node with no cached block: the node goes (control)', () => {
    const provider = createMockProvider();
    const heap = createHeap({ ...options, provider });
    const a = heap.allocate(2048);
    const b = heap.allocate(2048);
    const s = heap.allocate(2048);
    for (const p of [a, b, s]) heap.free(p);
    heap.validate();
    expect(heap.counters().nodes).toBe(0);
    expect(provider.mappedBytes).toBe(0);
  });

  it('keeps the heap valid when a slab empties a node that the cache holds a block of', () => {
    const provider = createMockProvider();
    const heap = createHeap({ ...options, provider });
    const a = heap.allocate(2048);
    const b = heap.allocate(2048);
    const s = heap.allocate(2048); // the class's first slab block
    const c = heap.allocate(3000); // a size the front cache keeps, in the same node
    heap.free(c); // cached
    heap.free(a);
    heap.free(b);
    heap.validate();
    heap.free(s); // the slab is released and its node holds no live block
    heap.validate();
    expect(heap.counters()).toMatchObject({ nodes: 0, bytesMapped: 0, holes: 0, segments: 0 });
    expect(provider.mappedBytes).toBe(0);
  });

  it('never hands out a block in an unmapped node afterwards', () => {
    const provider = createMockProvider();
    const heap = createHeap({ ...options, provider });
    const a = heap.allocate(2048);
    const b = heap.allocate(2048);
    const s = heap.allocate(2048);
    const c = heap.allocate(3000);
    heap.free(c);
    heap.free(a);
    heap.free(b);
    heap.free(s);
    const d = heap.allocate(3000);
    expect(heap.counters().liveBlocks).toBe(1);
    expect(heap.view(d).length).toBe(heap.usableSize(d)); // EFAULT: its node was unmapped
    heap.validate();
  });

  it('realloc moving a slab block out of an emptied node does not unmap it under the cache', () => {
    const provider = createMockProvider();
    const heap = createHeap({ ...options, provider });
    // A full first node, so that the cache holds too little of the mapped bytes to be flushed
    // before a new node is mapped; the slab's node is the second.
    const first = heap.allocate(13 * 16384);
    const a = heap.allocate(2048);
    const b = heap.allocate(2048);
    const s = heap.allocate(2048);
    const c = heap.allocate(3000);
    heap.free(c);
    heap.free(a);
    heap.free(b);
    heap.validate();
    // Moving s to a size no hole holds maps a third node and frees s (freeLive): the same path.
    const moved = heap.realloc(s, 6000);
    heap.validate();
    expect(heap.usableSize(moved)).toBeGreaterThanOrEqual(6000);
    expect(heap.usableSize(first)).toBe(13 * 16384);
  });
});
