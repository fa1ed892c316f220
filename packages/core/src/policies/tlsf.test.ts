import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holeTable } from '../test-support/hole-table.js';
import { TlsfPolicy } from './tlsf.js';

describe('the tlsf policy', () => {
  it('finds a fitting hole whenever one exists, for sizes up to 2^32 - 1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 2 ** 32 - 1 })), {
          minLength: 1,
          maxLength: 150,
        }),
        fc.array(fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 2 ** 32 - 1 })), {
          maxLength: 30,
        }),
        (sizes, wants) => {
          const segments = holeTable(sizes);
          const policy = new TlsfPolicy(segments);
          for (let k = 0; k < sizes.length; k++) policy.addHole(k);
          expect(policy.check(new Set(sizes.map((_, k) => k)))).toBeNull();
          for (const want of [...wants, ...sizes]) {
            const found = policy.findHole(want);
            if (sizes.some((size) => size >= want)) {
              expect(found).not.toBe(-1);
              expect(segments.size(found)).toBeGreaterThanOrEqual(want);
            } else {
              expect(found).toBe(-1);
            }
          }
          // Shrinking a hole moves it to its new class; the index stays exact.
          sizes.forEach((size, k) => {
            segments.setSize(k, Math.max(1, size >>> 1));
            policy.holeResized(k, k * 2 ** 32, size);
          });
          expect(policy.check(new Set(sizes.map((_, k) => k)))).toBeNull();
        },
      ),
    );
  });
});
