import { describe, expect, it } from 'vitest';
import { encodeChurnSequence, liveBytesOver, makeChurnSequence } from './sequence.js';

describe('makeChurnSequence', () => {
  it('is the same for every caller (fixed seed) and stays in range', () => {
    const a = makeChurnSequence(100, { steps: 5000 });
    const b = makeChurnSequence(100, { steps: 5000 });
    expect(a.victims).toEqual(b.victims);
    expect(a.sizes).toEqual(b.sizes);
    expect(a.fillSizes).toHaveLength(100);
    for (const v of a.victims) expect(v).toBeLessThan(100);
    for (const s of [...a.sizes, ...a.fillSizes]) {
      expect(s).toBeGreaterThanOrEqual(16);
      expect(s).toBeLessThanOrEqual(511);
    }
    // Both ends of the size range occur.
    expect(Math.min(...a.sizes)).toBe(16);
    expect(Math.max(...a.sizes)).toBe(511);
  });

  it('defaults to at least 2^20 steps and twice the live count', () => {
    expect(makeChurnSequence(10).victims).toHaveLength(2 ** 20);
  });

  it('makes fixed-size scripts for the seed pattern', () => {
    const seq = makeChurnSequence(10, { minSize: 1000, maxSize: 1000, steps: 100 });
    expect(new Set([...seq.sizes, ...seq.fillSizes])).toEqual(new Set([1000]));
  });
});

describe('liveBytesOver', () => {
  it('replays the sizes to find peak and final live bytes', () => {
    const seq = {
      live: 2,
      fillSizes: Uint16Array.of(10, 20),
      victims: Uint32Array.of(0, 1, 0),
      sizes: Uint16Array.of(50, 5, 1),
    };
    // 30 → 70 (block 0 = 50) → 55 (block 1 = 5) → 6 (block 0 = 1)
    expect(liveBytesOver(seq, 0)).toEqual({ peak: 30, final: 30 });
    expect(liveBytesOver(seq, 3)).toEqual({ peak: 70, final: 6 });
    // Wraps around the script: step 4 is step 1 again (block 0 = 50).
    expect(liveBytesOver(seq, 4)).toEqual({ peak: 70, final: 55 });
  });
});

describe('encodeChurnSequence', () => {
  it('writes the header and arrays little-endian, as the C reference reads them', () => {
    const seq = {
      live: 2,
      fillSizes: Uint16Array.of(16, 511),
      victims: Uint32Array.of(1, 0),
      sizes: Uint16Array.of(300, 17),
    };
    const bytes = encodeChurnSequence(seq);
    const view = new DataView(bytes.buffer);
    expect(bytes.byteLength).toBe(8 + 4 + 8 + 4);
    expect(view.getUint32(0, true)).toBe(2);
    expect(view.getUint32(4, true)).toBe(2);
    expect(view.getUint16(8, true)).toBe(16);
    expect(view.getUint16(10, true)).toBe(511);
    expect(view.getUint32(12, true)).toBe(1);
    expect(view.getUint32(16, true)).toBe(0);
    expect(view.getUint16(20, true)).toBe(300);
    expect(view.getUint16(22, true)).toBe(17);
  });
});
