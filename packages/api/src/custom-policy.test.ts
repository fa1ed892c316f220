import type { HoleRecords, PlacementPolicy, PlacementPolicyFactory } from '@mems/core';
import { createMockProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createMems } from './create-mems.js';

/**
 * A user's own placement policy, written against the documented interface only: "last fit",
 * the highest-addressed hole that fits, its index a sorted array of hole ids.
 */
const lastFit: PlacementPolicyFactory = {
  name: 'last-fit',
  create(holes: HoleRecords): PlacementPolicy {
    let ids: number[] = [];
    const sort = (): void => {
      ids.sort((a, b) => holes.start(a) - holes.start(b));
    };
    return {
      name: 'last-fit',
      metadataBytes: 0,
      addHole(id) {
        ids.push(id);
        sort();
      },
      removeHole(id) {
        ids = ids.filter((other) => other !== id);
      },
      holeResized() {
        sort(); // a resized hole never passes another one, but sorting again is cheap here
      },
      findHole(size) {
        for (let k = ids.length - 1; k >= 0; k--) if (holes.size(ids[k]!) >= size) return ids[k]!;
        return -1;
      },
      allocated() {},
      clear() {
        ids = [];
      },
      check(expected) {
        return expected.size === ids.length && ids.every((id) => expected.has(id))
          ? null
          : 'last-fit: the index does not hold exactly the holes';
      },
    };
  },
};

describe('createMems with a policy of your own', () => {
  it('places blocks where the policy says: last fit takes the highest-addressed hole', () => {
    const mems = createMems({ provider: createMockProvider(), policy: lastFit });
    try {
      expect(mems.malloc(1000)).toBe(1000); // node [1000:5095], hole [2000:5095]
      expect(mems.malloc(5000)).toBe(5096); // node [5096:13287], hole [10096:13287]
      // First fit would take 2000; last fit takes the hole at the highest address.
      expect(mems.malloc(100)).toBe(10096);
      mems.free(5096);
      expect(mems.malloc(10)).toBe(10196); // the merged hole [5096:10095] is below [10196:13287]
      expect(mems.stats().policy).toBe('last-fit');
      mems.validate();
    } finally {
      mems.finish();
    }
  });
});
