// The front cache's contract as a property: for any sequence of calls, a heap with the cache on
// stays valid, never hands out overlapping blocks, keeps every live block's bytes, refuses a
// freed (maybe cached) address exactly as after a flush, and shows exactly the heap that the
// seed's rules make of its live blocks: the snapshot is the one computed from the live set
// alone (each node tiled by its live blocks, every gap one HOLE), before and after a flush.

import { createMockProvider } from '@mems/os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHeap, type Heap } from './heap.js';
import type { HeapSnapshot, NodeSnapshot, SegmentSnapshot } from './read/snapshot-types.js';
import { refusalOf } from './test-support/refusal.js';

type Step =
  | { op: 'malloc'; size: number }
  | { op: 'free'; pick: number }
  | { op: 'refreed'; pick: number }
  | { op: 'realloc'; pick: number; size: number }
  | { op: 'calloc'; count: number; size: number }
  | { op: 'trim' }
  | { op: 'flush' };

const size = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 300 }) },
  { weight: 2, arbitrary: fc.integer({ min: 301, max: 1100 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1101, max: 9000 }) },
);

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('malloc' as const), size }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('free' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('refreed' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('realloc' as const), pick: fc.nat(), size }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('calloc' as const),
      count: fc.integer({ min: 1, max: 16 }),
      size: fc.integer({ min: 1, max: 64 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'trim' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'flush' as const }) },
);

const cacheSettings = fc.oneof(
  fc.constant<true>(true),
  fc.record({
    maxBlockSize: fc.constantFrom(16, 256, 1024),
    blocksPerClass: fc.constantFrom(1, 2, 64),
    maxBytes: fc.constantFrom(0, 100, 1024, 262144),
  }),
);

/** The heap the seed's rules make of `live` (address → size) in the heap's nodes. */
function expectedHeap(actual: HeapSnapshot, live: Map<number, number>): HeapSnapshot {
  const sorted = [...live.entries()].sort((a, b) => a[0] - b[0]);
  let inUse = 0;
  let holes = 0;
  let segmentCount = 0;
  const nodes: NodeSnapshot[] = actual.nodes.map((node) => {
    const segments: SegmentSnapshot[] = [];
    const hole = (start: number, end: number) => {
      if (end > start) segments.push({ kind: 'HOLE', start, lastAddress: end - 1, size: end - start });
    };
    let at = node.start;
    for (const [start, bytes] of sorted) {
      if (start < node.start || start > node.lastAddress) continue;
      hole(at, start);
      segments.push({ kind: 'PROCESS', start, lastAddress: start + bytes - 1, size: bytes });
      inUse += bytes;
      at = start + bytes;
    }
    hole(at, node.lastAddress + 1);
    holes += segments.filter((s) => s.kind === 'HOLE').length;
    segmentCount += segments.length;
    return { ...node, segments };
  });
  const mapped = actual.counters.bytesMapped;
  return {
    ...actual,
    counters: {
      pagesMapped: actual.counters.pagesMapped,
      bytesMapped: mapped,
      bytesInUse: inUse,
      bytesFree: mapped - inUse,
      liveBlocks: live.size,
      holes,
      nodes: nodes.length,
      segments: segmentCount,
    },
    nodes,
  };
}

/** How each call refuses `address` (code and message), for comparing before and after a flush. */
function refusals(heap: Heap, address: number): string[] {
  const calls = [
    () => heap.free(address),
    () => heap.translate(address),
    () => heap.view(address),
    () => heap.usableSize(address),
    () => heap.realloc(address, 8),
  ];
  return calls.map(refusalOf);
}

describe.each(['tlsf', 'best-fit'] as const)('a %s heap with the front cache', (policy) => {
  it('is, after any sequence of calls, exactly the heap its live blocks make (before and after a flush)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2048, 4096),
        fc.constantFrom(1, 8, 32),
        fc.boolean(),
        cacheSettings,
        fc.array(step, { maxLength: 120 }),
        (pageSize, alignment, autoTrim, frontCache, steps) => {
          const provider = createMockProvider();
          const heap = createHeap({ provider, pageSize, alignment, policy, autoTrim, frontCache });
          const live = new Map<number, { size: number; fill: number }>();
          const freed: number[] = [];
          let fills = 0;
          const keep = (address: number) => {
            const bytes = heap.usableSize(address);
            const fill = ++fills & 0xff;
            heap.view(address).fill(fill);
            live.set(address, { size: bytes, fill });
          };
          const forget = (address: number) => {
            live.delete(address);
            freed.push(address);
          };
          for (const s of steps) {
            const addresses = [...live.keys()];
            const picked =
              addresses.length > 0 ? addresses[(s as { pick?: number }).pick! % addresses.length] : undefined;
            switch (s.op) {
              case 'malloc':
                keep(heap.allocate(s.size));
                break;
              case 'calloc': {
                const address = heap.calloc(s.count, s.size);
                expect(heap.view(address).every((byte) => byte === 0)).toBe(true);
                keep(address);
                break;
              }
              case 'free':
                if (picked === undefined) break;
                heap.free(picked);
                forget(picked);
                break;
              case 'refreed': {
                // A freed address that no live block took back: refused the same way before and after a flush.
                const candidate = freed.filter(
                  (a) => ![...live.entries()].some(([start, b]) => a >= start && a < start + b.size),
                );
                const address = candidate[s.pick % Math.max(1, candidate.length)];
                if (address === undefined) break;
                const before = refusals(heap, address);
                expect(before.every((r) => r.startsWith('EFAULT'))).toBe(true);
                heap.flushCache();
                expect(refusals(heap, address)).toEqual(before);
                break;
              }
              case 'realloc': {
                if (picked === undefined) break;
                const old = live.get(picked)!;
                const moved = heap.realloc(picked, s.size);
                const kept = Math.min(old.size, heap.usableSize(moved));
                expect(heap.view(moved, kept).every((byte) => byte === old.fill)).toBe(true);
                live.delete(picked);
                if (moved !== picked) freed.push(picked);
                keep(moved);
                break;
              }
              case 'trim':
                heap.trim();
                break;
              case 'flush':
                heap.flushCache();
                break;
            }
            heap.validate();
          }
          // No two live blocks overlap, and each still holds its bytes.
          const sorted = [...live.entries()].sort((a, b) => a[0] - b[0]);
          for (let i = 1; i < sorted.length; i++)
            expect(sorted[i]![0]).toBeGreaterThanOrEqual(sorted[i - 1]![0] + sorted[i - 1]![1].size);
          for (const [address, block] of sorted)
            expect(heap.view(address).every((byte) => byte === block.fill)).toBe(true);
          const sizes = new Map([...live.entries()].map(([a, b]) => [a, b.size]));
          const seen = heap.snapshot();
          expect(seen).toEqual(expectedHeap(seen, sizes));
          expect(heap.counters()).toEqual(seen.counters);
          heap.flushCache();
          heap.validate();
          expect(heap.snapshot()).toEqual(seen);
          expect(heap.counters()).toEqual(seen.counters);
          heap.destroy();
          expect(provider.mappedBytes).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
