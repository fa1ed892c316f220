// A moving realloc whose new block lies in another node copies the old block's bytes between
// two buffers: word by word for short copies whose ends are 4-byte aligned in both nodes, with
// `set` for the rest. Every length, alignment and offset must keep exactly the first min(old,
// new) bytes, and write nothing outside the new block: each node is one page here, so that
// nearly every move crosses nodes, and the bytes around every live block are checked too.

import { createMockProvider } from '@mems/os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHeap, type Heap } from './heap.js';
import type { HeapOptions } from './options/heap-options.js';

/** The byte a block of identity `id` holds at offset `i`. */
const byteOf = (id: number, i: number) => (id * 31 + i * 7 + 1) & 255;

/** Fills the first `n` bytes of `p` with its identity's pattern. */
function fill(heap: Heap, p: number, id: number, n: number): void {
  const bytes = heap.view(p, n);
  for (let i = 0; i < n; i++) bytes[i] = byteOf(id, i);
}

/** The offset of the first of `p`'s first `n` bytes that does not hold its pattern, or -1. */
function firstWrongByte(heap: Heap, p: number, id: number, n: number): number {
  const bytes = heap.view(p, n);
  for (let i = 0; i < n; i++) if (bytes[i] !== byteOf(id, i)) return i;
  return -1;
}

/** The base of the node holding live block `p` (memoryOf's base is the node's first address). */
const nodeOf = (heap: Heap, p: number) => heap.memoryOf(p).base;

describe.each([
  ['first-fit, alignment 1', {}],
  ['tlsf, alignment 8', { policy: 'tlsf', alignment: 8 }],
  ['tlsf with slabs and the front cache', { policy: 'tlsf', slabs: true, frontCache: true }],
  ['best-fit, alignment 4', { policy: 'best-fit', alignment: 4 }],
] as [string, HeapOptions][])('realloc between nodes (%s)', (_name, options) => {
  const fresh = () => createHeap({ provider: createMockProvider(), minNodePages: 1, ...options });

  it('keeps the first min(old, new) bytes of every block, for every sequence of calls', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('malloc' as const), size: fc.integer({ min: 1, max: 700 }) }),
      fc.record({
        kind: fc.constant('realloc' as const),
        pick: fc.nat(),
        size: fc.integer({ min: 1, max: 900 }),
      }),
      fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        const heap = fresh();
        const live: { p: number; id: number; n: number }[] = [];
        let nextId = 1;
        for (const o of ops) {
          if (o.kind === 'malloc') {
            const p = heap.allocate(o.size);
            fill(heap, p, nextId, o.size);
            live.push({ p, id: nextId++, n: o.size });
          } else if (live.length > 0) {
            const i = o.pick % live.length;
            const block = live[i]!;
            if (o.kind === 'free') {
              heap.free(block.p);
              live.splice(i, 1);
            } else {
              block.p = heap.realloc(block.p, o.size);
              block.n = Math.min(block.n, o.size);
            }
          }
          for (const block of live) expect(firstWrongByte(heap, block.p, block.id, block.n)).toBe(-1);
        }
        heap.validate();
      }),
      { numRuns: 150 },
    );
  });

  it('copies every length from 1 to 300 into a block of another node', () => {
    const heap = fresh();
    let crossed = 0;
    for (let n = 1; n <= 300; n++) {
      const p = heap.allocate(n);
      fill(heap, p, n, n);
      // A block after it keeps the move from growing in place.
      const after = heap.allocate(8);
      const before = nodeOf(heap, p);
      const q = heap.realloc(p, n + 3000);
      if (nodeOf(heap, q) !== before) crossed++;
      expect(firstWrongByte(heap, q, n, n)).toBe(-1);
      heap.free(after);
    }
    // Each node is one page and every moved block stays live: nearly every move maps a node.
    expect(crossed).toBeGreaterThan(250);
    heap.validate();
  });
});
