import { describe, expect, it } from 'vitest';
import { alignColumns, columnWidths, formatPercent } from './columns';

describe('alignColumns', () => {
  it('pads text left and numbers right, two spaces apart, without trailing spaces', () => {
    expect(
      alignColumns(
        [
          ['name', 'n'],
          ['a', '100'],
          ['longer', '7'],
        ],
        ['left', 'right'],
      ),
    ).toEqual(['name      n', 'a       100', 'longer    7']);
    expect(alignColumns([['x', '']], ['left', 'left'])).toEqual(['x']);
  });

  it('measures columns over any number of rows', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [String(i)]);
    expect(columnWidths(rows, 1)).toEqual([6]);
    expect(columnWidths([['ab'], []], 2)).toEqual([2, 0]);
  });
});

describe('formatPercent', () => {
  it('prints one decimal', () => {
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(10000 / 12288)).toBe('81.4%');
    expect(formatPercent(1)).toBe('100.0%');
  });
});
