import { describe, expect, it } from 'vitest';
import { allocateCells } from './cells';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('allocateCells', () => {
  it('shares cells in proportion to sizes', () => {
    expect(allocateCells([1000, 1000, 1000, 1000, 96], 32)).toEqual([8, 8, 8, 7, 1]);
    expect(allocateCells([1, 1], 4)).toEqual([2, 2]);
  });

  it('gives every part at least one cell, taking them from the largest parts', () => {
    expect(allocateCells([1, 1, 1, 997], 5)).toEqual([1, 1, 1, 2]);
    expect(allocateCells([1, 998, 1], 3)).toEqual([1, 1, 1]);
  });

  it('always sums to the width', () => {
    for (const sizes of [[3], [7, 1, 1, 1, 1, 1, 1, 1], [0, 0, 5], [0, 0], [123, 456, 789, 1, 2]]) {
      for (const width of [8, 9, 13, 64, 100]) {
        const cells = allocateCells(sizes, width);
        expect(sum(cells)).toBe(width);
        expect(Math.min(...cells)).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('returns nothing for no parts and refuses more parts than cells', () => {
    expect(allocateCells([], 10)).toEqual([]);
    expect(() => allocateCells([1, 1, 1], 2)).toThrow(RangeError);
  });
});
