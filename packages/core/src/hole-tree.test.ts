import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HoleTree } from './hole-tree.js';
import { HOLE, SegmentTable } from './segment-table.js';

/** A tree over holes given as [start, size] pairs, plus the ids of those holes. */
function treeOf(holes: [number, number][], order: 'address' | 'size') {
  const segments = new SegmentTable(4);
  const tree = new HoleTree(segments, order);
  const ids = holes.map(([start, size]) => {
    segments.reserve(1);
    const id = segments.take();
    segments.setStart(id, start);
    segments.setSize(id, size);
    segments.setNodeKind(id, 0, HOLE);
    tree.insert(id);
    return id;
  });
  return { segments, tree, ids };
}

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

describe('the hole tree', () => {
  it('finds the lowest-addressed fitting hole (first fit), as a linear scan does', () => {
    fc.assert(
      fc.property(
        holesArb,
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 0, max: 30000 }),
        (holes, want, from) => {
          const shuffled = [...holes].sort((a, b) => ((a[0] * 7919) % 997) - ((b[0] * 7919) % 997));
          const { segments, tree, ids } = treeOf(shuffled, 'address');
          expect(tree.check(new Set(ids))).toBeNull();
          const first = shuffled.filter(([, size]) => size >= want).sort((a, b) => a[0] - b[0])[0];
          const found = tree.firstFitting(want);
          expect(found === -1 ? undefined : segments.start(found)).toBe(first?.[0]);
          const next = shuffled
            .filter(([start, size]) => size >= want && start >= from)
            .sort((a, b) => a[0] - b[0])[0];
          const foundFrom = tree.firstFittingFrom(from, want);
          expect(foundFrom === -1 ? undefined : segments.start(foundFrom)).toBe(next?.[0]);
          const floor = shuffled.filter(([start]) => start <= from).sort((a, b) => b[0] - a[0])[0];
          const foundFloor = tree.floor(from);
          expect(foundFloor === -1 ? undefined : segments.start(foundFloor)).toBe(floor?.[0]);
        },
      ),
    );
  });

  it('finds the smallest fitting hole, lowest address on ties (best fit)', () => {
    fc.assert(
      fc.property(holesArb, fc.integer({ min: 1, max: 600 }), (holes, want) => {
        const { segments, tree, ids } = treeOf(holes, 'size');
        expect(tree.check(new Set(ids))).toBeNull();
        const best = holes.filter(([, size]) => size >= want).sort((a, b) => a[1] - b[1] || a[0] - b[0])[0];
        const found = tree.firstFitting(want);
        expect(found === -1 ? undefined : segments.start(found)).toBe(best?.[0]);
      }),
    );
  });

  it('stays a valid treap with correct subtree maxima through removals and in-place updates', () => {
    fc.assert(
      fc.property(
        holesArb,
        fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.integer({ min: 1, max: 50 }))),
        (holes, steps) => {
          const { segments, tree, ids } = treeOf(holes, 'address');
          const live = new Set(ids);
          for (const [pick, remove, delta] of steps) {
            if (live.size === 0) break;
            const id = [...live][pick % live.size]!;
            if (remove) {
              tree.remove(id);
              live.delete(id);
            } else {
              const old = segments.size(id);
              // Shrink from the front or grow at the back: order among holes is kept.
              if (old > delta) {
                segments.setStart(id, segments.start(id) + delta);
                segments.setSize(id, old - delta);
              } else {
                segments.setSize(id, old + delta);
              }
              tree.updateInPlace(id, old);
            }
            expect(tree.check(live)).toBeNull();
          }
        },
      ),
    );
  });

  it('reports a stale subtree maximum', () => {
    const { segments, tree, ids } = treeOf(
      [
        [0, 10],
        [20, 30],
        [60, 5],
      ],
      'address',
    );
    segments.setSize(ids[1]!, 1); // changed behind the tree's back
    expect(tree.check(new Set(ids))).toMatch(/stale largest-hole value/);
  });
});
