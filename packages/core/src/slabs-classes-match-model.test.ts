// The slab size classes, two ways: @mems/core's table (tables/slab-table.ts) and the reference
// model's slow rule (@mems/reference-model's slabClassesFor), which the differential fuzzer
// rounds sizes with. They must agree for every alignment and largest size.

import { slabClassesFor } from '@mems/reference-model';
import { describe, expect, it } from 'vitest';
import { slabClassSizes } from './tables/slab-table.js';

describe('the slab size classes', () => {
  it('are the reference model’s for every alignment and maxBlockSize', () => {
    for (const alignment of [1, 2, 4, 8, 16, 32, 64, 128, 256])
      for (let max = 16; max <= 8192; max += 16)
        expect(slabClassSizes(max, alignment), `alignment ${alignment}, max ${max}`).toEqual(
          slabClassesFor(alignment, max),
        );
  });

  it('start at 16 bytes, step by 8 up to 128, and round away at most an eighth above it', () => {
    const sizes = slabClassSizes(8192, 1);
    expect(sizes.slice(0, 3)).toEqual([16, 24, 32]);
    expect(sizes).toContain(128);
    expect(sizes.slice(-3)).toEqual([7168, 7680, 8192]);
    expect(sizes).toHaveLength(63);
    expect(slabClassSizes(2048, 1)).toHaveLength(47);
    expect(slabClassSizes(1024, 1)).toHaveLength(39);
    for (let i = 1; i < sizes.length; i++)
      if (sizes[i - 1]! >= 128)
        expect((sizes[i]! - sizes[i - 1]!) / sizes[i - 1]!).toBeLessThanOrEqual(1 / 8);
  });
});
