import { HEAP_OPTION_TABLE } from '@mems/core/internal';
import { describe, expect, it } from 'vitest';

import { CONTROL_BYTES, OPTION_SLOT_END } from './shared-control-block.js';
import { attachMems, createSharedMems } from './shared-mems.js';

describe("a shared heap's control block", () => {
  it("holds every shared option of @mems/core's option table", () => {
    expect(OPTION_SLOT_END * 8).toBeLessThanOrEqual(CONTROL_BYTES);
    expect(HEAP_OPTION_TABLE.filter((d) => d.shared !== null).map((d) => d.name)).toEqual([
      'pageSize',
      'startAddress',
      'policy',
      'alignment',
      'minNodePages',
      'autoTrim',
      'frontCache',
    ]);
  });

  it('carries every shared option to a thread that attaches', () => {
    const mems = createSharedMems({
      policy: 'best-fit',
      pageSize: 8192,
      startAddress: 5000,
      alignment: 16,
      minNodePages: 2,
      autoTrim: true,
      frontCache: { maxBlockSize: 256, blocksPerClass: 4, maxBytes: 8192 },
    });
    try {
      const other = attachMems(mems.handle);
      try {
        const p = other.malloc(10); // startAddress
        expect(p).toBe(5000);
        expect(other.usableSize(p)).toBe(16); // the front cache's granule (alignment 16)
        const seen = other.stats();
        expect(seen).toMatchObject({ policy: 'best-fit', pageSize: 8192, startAddress: 5000, alignment: 16 });
        expect(seen.nodes.map((n) => n.pages)).toEqual([2]); // minNodePages
        expect(other.usableSize(other.malloc(300))).toBe(304); // above the cache's 256 B: rounded to 16 only
        expect(mems.stats()).toEqual(other.stats());
        other.free(p);
        other.free(5016);
        expect(other.stats().nodes).toEqual([]); // autoTrim
      } finally {
        other.detach();
      }
    } finally {
      mems.finish();
    }
  });
});
