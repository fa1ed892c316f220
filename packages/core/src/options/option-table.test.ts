import { describe, expect, it } from 'vitest';
import { HEAP_OPTION_NAMES, HEAP_OPTION_TABLE } from './option-table.js';

describe('the option table', () => {
  it('names every option once, in documentation order', () => {
    expect(HEAP_OPTION_NAMES).toEqual(HEAP_OPTION_TABLE.map((d) => d.name));
    expect(new Set(HEAP_OPTION_NAMES).size).toBe(HEAP_OPTION_NAMES.length);
    expect(HEAP_OPTION_NAMES[0]).toBe('provider'); // every other check reads the provider's facts
  });

  it("round-trips every shared option's resolved value through its control-block slots", () => {
    const resolved: Record<string, unknown> = {
      pageSize: 16384,
      startAddress: 2 ** 40,
      alignment: 64,
      minNodePages: 3,
      autoTrim: true,
      frontCache: { maxBlockSize: 512, blocksPerClass: 8, maxBytes: 4096 },
    };
    const slots = new Float64Array(16);
    let at = 0;
    for (const d of HEAP_OPTION_TABLE) {
      if (d.shared === null || !(d.name in resolved)) continue;
      d.shared.encode(resolved[d.name], slots, at);
      expect(d.shared.decode(slots, at)).toEqual(resolved[d.name]);
      at += d.shared.slots;
    }
    const cache = HEAP_OPTION_TABLE.find((d) => d.name === 'frontCache')!.shared!;
    cache.encode(null, slots, 0);
    expect(cache.decode(slots, 0)).toBe(false);
  });
});
