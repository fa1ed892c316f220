import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOLE, SegmentTable } from '../tables/segment-table.js';
import { holeTable } from '../test-support/hole-table.js';
import { FirstFitBTree } from './first-fit-btree.js';

type Step =
  | { op: 'insert'; size: number }
  | { op: 'remove'; pick: number }
  | { op: 'shrink'; pick: number; by: number }
  | { op: 'grow'; pick: number; by: number }
  | { op: 'find'; size: number; from: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant('insert' as const), size: fc.integer({ min: 1, max: 400 }) }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('shrink' as const),
      pick: fc.nat(),
      by: fc.integer({ min: 1, max: 50 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('grow' as const),
      pick: fc.nat(),
      by: fc.integer({ min: 1, max: 50 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('find' as const),
      size: fc.integer({ min: 1, max: 450 }),
      from: fc.integer({ min: 0, max: 100_003_000 }),
    }),
  },
);

describe('the first-fit B+-tree', () => {
  it('answers first fit and next fit like a linear scan, and keeps its shape, through any sequence', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 400 }), (steps) => {
        const segments = new SegmentTable(undefined, 4);
        const tree = new FirstFitBTree(segments);
        // Each hole owns a 1000-byte slot of address space, so shrinking from the front and
        // growing at the back never pass another hole.
        const live = new Map<number, number>();
        let slot = 0;
        for (const s of steps) {
          const ids = [...live.keys()];
          if (s.op === 'insert') {
            segments.reserve(1);
            const id = segments.take();
            // Insert at a pseudo-random slot so the tree sees out-of-order keys.
            const at = ((slot++ * 7919) % 100_003) * 1000;
            segments.setStart(id, at);
            segments.setSize(id, s.size);
            segments.setNodeKind(id, 0, HOLE);
            tree.insert(id);
            live.set(id, at);
          } else if (s.op === 'find') {
            const holes = ids
              .map((id) => [segments.start(id), segments.size(id)] as const)
              .sort((a, b) => a[0] - b[0]);
            const first = holes.find(([, size]) => size >= s.size);
            const found = tree.firstFitting(s.size);
            expect(found === -1 ? undefined : segments.start(found)).toBe(first?.[0]);
            const next = holes.find(([start, size]) => size >= s.size && start >= s.from);
            const foundFrom = tree.firstFittingFrom(s.from, s.size);
            expect(foundFrom === -1 ? undefined : segments.start(foundFrom)).toBe(next?.[0]);
          } else if (ids.length > 0) {
            const id = ids[s.pick % ids.length]!;
            if (s.op === 'remove') {
              tree.remove(id);
              live.delete(id);
              segments.release(id);
            } else if (s.op === 'shrink' && segments.size(id) > s.by) {
              const oldStart = segments.start(id);
              segments.setStart(id, oldStart + s.by);
              segments.setSize(id, segments.size(id) - s.by);
              tree.updateInPlace(id);
            } else if (s.op === 'grow' && segments.size(id) + s.by < 1000) {
              segments.setSize(id, segments.size(id) + s.by);
              tree.updateInPlace(id);
            }
          }
          expect(tree.check(new Set(live.keys()))).toBeNull();
        }
      }),
      { numRuns: 120 },
    );
  });

  it('finds holes of up to 2^32 - 1 bytes like a linear scan', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { minLength: 1, maxLength: 200 }),
        fc.array(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { maxLength: 20 }),
        (sizes, wants) => {
          const segments = holeTable(sizes);
          const tree = new FirstFitBTree(segments);
          for (let k = 0; k < sizes.length; k++) tree.insert(k);
          expect(tree.check(new Set(sizes.map((_, k) => k)))).toBeNull();
          for (const want of [...wants, ...sizes]) {
            const first = sizes.findIndex((size) => size >= want);
            expect(tree.firstFitting(want)).toBe(first);
          }
        },
      ),
    );
  });

  it('reports a second-largest value that went stale, without repairing it', () => {
    const segments = new SegmentTable(undefined, 4);
    const tree = new FirstFitBTree(segments);
    for (let k = 0; k < 200; k++) {
      segments.reserve(1);
      const id = segments.take();
      segments.setStart(id, k * 100);
      segments.setSize(id, 1 + ((k * 37) % 90));
      segments.setNodeKind(id, 0, HOLE);
      tree.insert(id);
    }
    const all = new Set(Array.from({ length: 200 }, (_, k) => k));
    expect(tree.check(all)).toBeNull();
    const seconds = (tree as unknown as { seconds: Float64Array }).seconds;
    const leaf = segments.link(0, 0); // the first hole's leaf, not the root
    seconds[leaf] = 12345;
    expect(tree.check(all)).toMatch(/stale second-largest value/);
    expect(seconds[leaf]).toBe(12345);
  });

  it('stays shallow and correct with a hundred thousand holes inserted and half removed', () => {
    const segments = new SegmentTable(undefined, 4);
    const tree = new FirstFitBTree(segments);
    const ids: number[] = [];
    for (let k = 0; k < 100_000; k++) {
      segments.reserve(1);
      const id = segments.take();
      segments.setStart(id, ((k * 7919) % 100_000) * 64);
      segments.setSize(id, 1 + (k % 50));
      segments.setNodeKind(id, 0, HOLE);
      tree.insert(id);
      ids.push(id);
    }
    for (let k = 0; k < ids.length; k += 2) tree.remove(ids[k]!);
    expect(tree.check(new Set(ids.filter((_, k) => k % 2 === 1)))).toBeNull();
    expect(tree.firstFitting(50)).not.toBe(-1);
    expect(tree.firstFitting(51)).toBe(-1);
  });
});
