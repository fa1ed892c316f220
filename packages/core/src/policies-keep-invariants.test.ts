import { createMockProvider } from '@mems/os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHeap } from './heap.js';
import { POLICY_NAMES } from './policies/index.js';

type Step =
  | { op: 'malloc'; size: number }
  | { op: 'free'; pick: number }
  | { op: 'realloc'; pick: number; size: number }
  | { op: 'calloc'; count: number; size: number }
  | { op: 'trim' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant('malloc' as const), size: fc.integer({ min: 1, max: 10000 }) }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('free' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('realloc' as const),
      pick: fc.nat(),
      size: fc.integer({ min: 1, max: 10000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('calloc' as const),
      count: fc.integer({ min: 1, max: 64 }),
      size: fc.integer({ min: 1, max: 64 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'trim' as const }) },
);

describe.each(POLICY_NAMES)('the %s policy', (policy) => {
  it('keeps every invariant and every live byte through random operation sequences', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2048, 4096, 8192),
        fc.constantFrom(1, 8, 16),
        fc.boolean(),
        fc.array(step, { maxLength: 100 }),
        (pageSize, alignment, autoTrim, steps) => {
          const heap = createHeap({ provider: createMockProvider(), pageSize, alignment, policy, autoTrim });
          // Each live block is filled with a byte derived from its id; every step re-checks all.
          const live = new Map<number, { size: number; fill: number }>();
          let id = 0;
          const fill = (address: number, size: number) => {
            const value = ++id & 0xff;
            heap.view(address, size).fill(value);
            live.set(address, { size, fill: value });
          };
          for (const s of steps) {
            const addresses = [...live.keys()];
            if (s.op === 'malloc') fill(heap.allocate(s.size), s.size);
            else if (s.op === 'calloc') {
              const address = heap.calloc(s.count, s.size);
              expect(heap.view(address, s.count * s.size).every((b) => b === 0)).toBe(true);
              fill(address, s.count * s.size);
            } else if (s.op === 'trim') heap.trim();
            else if (addresses.length > 0) {
              const address = addresses[s.pick % addresses.length]!;
              const block = live.get(address)!;
              live.delete(address);
              if (s.op === 'free') heap.free(address);
              else {
                const moved = heap.realloc(address, s.size);
                const kept = Math.min(block.size, s.size);
                expect(heap.view(moved, kept).every((b) => b === block.fill)).toBe(true);
                fill(moved, s.size);
              }
            }
            heap.validate();
            for (const [address, block] of live) {
              expect(heap.usableSize(address)).toBeGreaterThanOrEqual(block.size);
              expect(heap.usableSize(address) % alignment).toBe(0);
              expect(heap.view(address, block.size).every((b) => b === block.fill)).toBe(true);
            }
          }
          heap.destroy();
        },
      ),
      { numRuns: 60 },
    );
  });
});
