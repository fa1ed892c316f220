import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abSchedule, median, pairedRatios } from './paired-ratios.js';

describe('abSchedule', () => {
  it('alternates ABBA so neither side always runs first', () => {
    expect(abSchedule(4)).toEqual([0, 1, 1, 0, 0, 1, 1, 0]);
  });

  it('runs each side once per round, for any number of rounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (rounds) => {
        const order = abSchedule(rounds);
        expect(order.length).toBe(2 * rounds);
        for (let r = 0; r < rounds; r++) expect([order[2 * r], order[2 * r + 1]].sort()).toEqual([0, 1]);
      }),
    );
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses %s rounds', (rounds) => {
    expect(() => abSchedule(rounds)).toThrow(RangeError);
  });
});

describe('pairedRatios', () => {
  it('divides each round by its own pair, not by another round', () => {
    const r = pairedRatios([100, 200, 400], [110, 180, 400]);
    expect(r.perRound).toEqual([1.1, 0.9, 1]);
    expect(r.median).toBe(1);
    expect(r.min).toBe(0.9);
    expect(r.max).toBe(1.1);
  });

  it('gives 1 for equal times, whatever the drift between rounds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (times) => {
          const r = pairedRatios(times, times);
          expect(r.median).toBe(1);
          expect(r.min).toBe(1);
          expect(r.max).toBe(1);
        },
      ),
    );
  });

  it('refuses lists of different lengths and times that are not positive', () => {
    expect(() => pairedRatios([1, 2], [1])).toThrow(/same/);
    expect(() => pairedRatios([], [])).toThrow(RangeError);
    expect(() => pairedRatios([0], [1])).toThrow(/positive/);
    expect(() => pairedRatios([1], [Number.NaN])).toThrow(/positive/);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });
});
