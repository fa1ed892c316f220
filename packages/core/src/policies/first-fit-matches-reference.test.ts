import { createMockProvider } from '@mems/os';
import { chainsOf, ModelHeap, ModelProvider } from '@mems/reference-model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHeap } from '../heap.js';

type Step = { op: 'malloc'; size: number } | { op: 'free'; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('malloc' as const), size: fc.integer({ min: 1, max: 9000 }) }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('free' as const), pick: fc.nat() }) },
);

describe('first fit equals the reference model of the seed', () => {
  it('has the same chains after every step of random malloc/free sequences', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2048, 4096, 8192),
        fc.constantFrom(0, 1000),
        fc.constantFrom(1, 8, 16),
        fc.constantFrom(1, 3),
        fc.array(step, { maxLength: 120 }),
        (pageSize, startAddress, alignment, minNodePages, steps) => {
          const heap = createHeap({
            provider: createMockProvider(),
            pageSize,
            startAddress,
            alignment,
            minNodePages,
          });
          const model = new ModelHeap(
            {
              pageSize,
              startAddress,
              alignment,
              policy: 'first-fit',
              minNodePages,
              autoTrim: false,
              maxNodeBytes: Number.POSITIVE_INFINITY,
              providerPageSize: pageSize,
            },
            new ModelProvider(pageSize, Number.POSITIVE_INFINITY),
          );
          for (const s of steps) {
            if (s.op === 'malloc') {
              expect(heap.allocate(s.size)).toBe(model.allocate(model.roundUp(s.size)));
            } else {
              const blocks = model.blocks().map((b) => b.start);
              if (blocks.length === 0) continue;
              const address = blocks[s.pick % blocks.length]!;
              model.free(address);
              heap.free(address);
            }
            expect(chainsOf(heap.snapshot())).toEqual(chainsOf(model));
            heap.validate();
          }
          heap.destroy();
        },
      ),
      { numRuns: 150 },
    );
  });
});
