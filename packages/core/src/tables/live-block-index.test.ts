import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiveBlockIndex } from './live-block-index.js';
import { SegmentTable } from './segment-table.js';

describe('the live-block hash', () => {
  it('behaves like a Map from start address to segment id through any add/delete sequence', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.boolean(),
            fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 2 ** 40 })),
          ),
        ),
        (steps) => {
          const segments = new SegmentTable(undefined, 4);
          const index = new LiveBlockIndex(segments);
          const model = new Map<number, number>();
          for (const [add, address] of steps) {
            if (add && !model.has(address)) {
              segments.reserve(1);
              const id = segments.take();
              segments.setStart(id, address);
              index.reserve(1);
              index.add(id, address);
              model.set(address, id);
            } else {
              expect(index.delete(address)).toBe(model.get(address) ?? -1);
              const id = model.get(address);
              if (id !== undefined) segments.release(id);
              model.delete(address);
            }
            expect(index.size).toBe(model.size);
          }
          for (const [address, id] of model) expect(index.get(address)).toBe(id);
          expect(index.get(2 ** 41)).toBe(-1);
        },
      ),
    );
  });

  it('tells apart addresses whose low 32 bits are equal', () => {
    const segments = new SegmentTable(undefined, 4);
    const index = new LiveBlockIndex(segments);
    const address = (k: number) => k * 2 ** 32 + 1000; // the same tag for every k
    for (let k = 0; k < 300; k++) {
      segments.reserve(1);
      const id = segments.take();
      segments.setStart(id, address(k));
      index.reserve(1);
      index.add(id, address(k));
    }
    for (let k = 0; k < 300; k += 3) expect(index.delete(address(k))).toBe(k);
    for (let k = 0; k < 300; k++) expect(index.get(address(k))).toBe(k % 3 === 0 ? -1 : k);
    expect(index.get(1000 + 300 * 2 ** 32)).toBe(-1);
    expect(index.size).toBe(200);
  });

  it('keeps every entry findable across many resizes with clustered keys', () => {
    const segments = new SegmentTable(undefined, 4);
    const index = new LiveBlockIndex(segments);
    for (let k = 0; k < 5000; k++) {
      segments.reserve(1);
      const id = segments.take();
      segments.setStart(id, 1000 + k * 4096);
      index.reserve(1);
      index.add(id, 1000 + k * 4096);
    }
    for (let k = 0; k < 5000; k += 2) index.delete(1000 + k * 4096);
    for (let k = 0; k < 5000; k++) expect(index.get(1000 + k * 4096)).toBe(k % 2 === 0 ? -1 : k);
  });
});
