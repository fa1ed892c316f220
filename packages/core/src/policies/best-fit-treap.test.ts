import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOLE, SegmentTable } from '../tables/segment-table.js';
import { holeTable } from '../test-support/hole-table.js';
import { BestFitTreap } from './best-fit-treap.js';

// Disjoint holes at increasing addresses with random sizes.
const holesArb = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 300 })), { maxLength: 60 })
  .map((pairs) => {
    let at = 0;
    return pairs.map(([size, gap]) => {
      const hole: [number, number] = [at + gap, size];
      at += gap + size;
      return hole;
    });
  });

describe('the best-fit treap', () => {
  it('finds the smallest fitting hole, lowest address on ties, as a linear scan does', () => {
    fc.assert(
      fc.property(
        holesArb,
        fc.integer({ min: 1, max: 600 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 500 })), { maxLength: 20 }),
        (holes, want, removals, resizes) => {
          const segments = new SegmentTable(undefined, 4);
          const tree = new BestFitTreap(segments);
          const live = new Map<number, [number, number]>();
          for (const hole of holes) {
            segments.reserve(1);
            const id = segments.take();
            segments.setStart(id, hole[0]);
            segments.setSize(id, hole[1]);
            segments.setNodeKind(id, 0, HOLE);
            tree.insert(id);
            live.set(id, hole);
          }
          for (const pick of removals) {
            if (live.size === 0) break;
            const id = [...live.keys()][pick % live.size]!;
            tree.remove(id);
            live.delete(id);
          }
          // A hole that changes size is found under its old key, then put back under its new one.
          for (const [pick, size] of resizes) {
            if (live.size === 0) break;
            const id = [...live.keys()][pick % live.size]!;
            const [start, oldSize] = live.get(id)!;
            segments.setSize(id, size);
            tree.remove(id, oldSize, start);
            tree.insert(id);
            live.set(id, [start, size]);
          }
          expect(tree.check(new Set(live.keys()))).toBeNull();
          const best = [...live.values()]
            .filter(([, size]) => size >= want)
            .sort((a, b) => a[1] - b[1] || a[0] - b[0])[0];
          const found = tree.firstFitting(want);
          expect(found === -1 ? undefined : segments.start(found)).toBe(best?.[0]);
          // The hole just found is removed straight from where the search left it.
          if (found !== -1) {
            tree.remove(found);
            live.delete(found);
            expect(tree.check(new Set(live.keys()))).toBeNull();
          }
        },
      ),
    );
  });

  it('finds holes of up to 2^32 - 1 bytes like a linear scan', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 2 ** 31 - 2, max: 2 ** 32 - 1 }), { minLength: 1, maxLength: 100 }),
        fc.array(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { maxLength: 20 }),
        (sizes, wants) => {
          const segments = holeTable(sizes);
          const tree = new BestFitTreap(segments);
          for (let k = 0; k < sizes.length; k++) tree.insert(k);
          expect(tree.check(new Set(sizes.map((_, k) => k)))).toBeNull();
          for (const want of [...wants, ...sizes]) {
            let best = -1;
            sizes.forEach((size, k) => {
              if (size >= want && (best === -1 || size < sizes[best]!)) best = k;
            });
            expect(tree.firstFitting(want)).toBe(best);
          }
        },
      ),
    );
  });

  it('reports a hole whose size changed behind its back', () => {
    const segments = new SegmentTable(undefined, 4);
    const tree = new BestFitTreap(segments);
    const ids = [10, 30, 5].map((size, k) => {
      const id = segments.take();
      segments.setStart(id, k * 100);
      segments.setSize(id, size);
      segments.setNodeKind(id, 0, HOLE);
      tree.insert(id);
      return id;
    });
    segments.setSize(ids[1]!, 1); // changed behind the tree's back
    expect(tree.check(new Set(ids))).toMatch(/out of \(size, address\) order/);
  });
});
