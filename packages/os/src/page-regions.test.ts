import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Region, RegionTable } from './page-regions.js';

const REGION = 64;

/** Checks a region's free list: sorted, disjoint, merged, inside the region, largest exact. */
function checkRegion(region: Region, taken: ReadonlyMap<number, number>): void {
  const { freeStart, freeLength } = region;
  let free = 0;
  for (let i = 0; i < freeStart.length; i++) {
    expect(freeLength[i]).toBeGreaterThan(0);
    if (i > 0) expect(freeStart[i]).toBeGreaterThan(freeStart[i - 1]! + freeLength[i - 1]!); // not even adjacent
    free += freeLength[i]!;
  }
  expect(freeStart.length === 0 || freeStart.at(-1)! + freeLength.at(-1)! <= region.byteLength).toBe(true);
  expect(region.largestFree).toBe(Math.max(0, ...freeLength));
  let used = 0;
  for (const [offset, length] of taken) {
    used += length;
    for (let i = 0; i < freeStart.length; i++) {
      const overlaps = offset < freeStart[i]! + freeLength[i]! && freeStart[i]! < offset + length;
      expect(overlaps).toBe(false);
    }
  }
  expect(free + used).toBe(region.byteLength);
  expect(region.carvings).toBe(taken.size);
}

describe('RegionTable', () => {
  it('keeps every region’s free list exact, merged and first-fit over any takes and gives', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 24 }), fc.nat()), { maxLength: 200 }),
        (steps) => {
          const table = new RegionTable();
          const taken = new Map<Region, Map<number, number>>();
          let next = 0n;
          for (const [take, length, pick] of steps) {
            const all = [...taken].flatMap(([region, ranges]) =>
              [...ranges].map(([o, l]) => [region, o, l] as const),
            );
            if (take || all.length === 0) {
              let space = table.find(length);
              if (space === null) {
                const region = RegionTable.create(next, REGION, false);
                next += 1000n;
                table.add(region);
                taken.set(region, new Map());
                space = { region, extent: 0 };
              }
              // First fit: no lower free extent of this region is long enough.
              for (let i = 0; i < space.extent; i++) expect(space.region.freeLength[i]).toBeLessThan(length);
              const offset = table.take(space, length);
              taken.get(space.region)!.set(offset, length);
            } else {
              const [region, offset, len] = all[pick % all.length]!;
              taken.get(region)!.delete(offset);
              const emptied = table.give(region, offset, len);
              expect(emptied).toBe(taken.get(region)!.size === 0);
              if (emptied) taken.delete(region);
            }
            for (const [region, ranges] of taken) checkRegion(region, ranges);
            expect(table.count).toBe(taken.size);
            expect(table.reservedBytes).toBe(taken.size * REGION);
          }
        },
      ),
    );
  });

  it('counts dedicated reservations apart from the shared regions', () => {
    const table = new RegionTable();
    const big = RegionTable.create(0n, 1000, true);
    table.add(big);
    table.take({ region: big, extent: 0 }, 1000);
    expect([table.count, table.reservedBytes]).toEqual([1, 1000]);
    expect(table.find(1)).toBeNull();
    expect(table.give(big, 0, 1000)).toBe(true);
    expect([table.count, table.reservedBytes]).toEqual([0, 0]);
  });
});
