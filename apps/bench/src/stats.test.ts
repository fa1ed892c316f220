import { describe, expect, it } from 'vitest';
import { median, summarize } from './stats.js';

describe('median', () => {
  it('takes the middle sample of an odd count, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([7])).toBe(7);
  });

  it('averages the two middle samples of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 20])).toBe(15);
  });

  it('does not reorder its input', () => {
    const samples = [3, 1, 2];
    median(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses an empty list and non-finite samples', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => median([1, Number.NaN])).toThrow(/not a finite number/);
    expect(() => median([1, Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('gives median, min, max and count', () => {
    expect(summarize([12, 9, 30, 10, 11])).toEqual({ median: 11, min: 9, max: 30, n: 5 });
  });

  it('keeps an outlier out of the median but in the max', () => {
    const s = summarize([100, 101, 99, 5000]);
    expect(s.median).toBe(100.5);
    expect(s.max).toBe(5000);
    expect(s.min).toBe(99);
  });

  it('handles a single sample', () => {
    expect(summarize([42])).toEqual({ median: 42, min: 42, max: 42, n: 1 });
  });
});
