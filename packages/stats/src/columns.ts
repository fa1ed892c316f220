/** How a column's cells line up: text to the left, numbers to the right. */
export type ColumnAlign = 'left' | 'right';

/**
 * Measures columns: the length of the longest cell of each (loops, so any number of rows works).
 * @param rows the cells, row by row.
 * @param count how many columns to measure.
 * @returns one width per column.
 */
export function columnWidths(rows: readonly (readonly string[])[], count: number): number[] {
  const widths = new Array<number>(count).fill(0);
  for (const row of rows) {
    for (let column = 0; column < count; column++) {
      const length = (row[column] ?? '').length;
      if (length > (widths[column] ?? 0)) widths[column] = length;
    }
  }
  return widths;
}

/**
 * Lays out rows of cells as plain-text columns separated by two spaces, each column as wide as
 * its widest cell, with trailing spaces removed. Rows shorter than `align` get empty cells.
 * Widths count UTF-16 code units, so keep cells to ASCII for exact alignment.
 * @param rows the cells, row by row.
 * @param align one entry per column.
 * @returns one string per row, without line endings.
 */
export function alignColumns(rows: readonly (readonly string[])[], align: readonly ColumnAlign[]): string[] {
  const widths = columnWidths(rows, align.length);
  return rows.map((row) =>
    align
      .map((side, column) => {
        const cell = row[column] ?? '';
        const width = widths[column] ?? 0;
        return side === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd(),
  );
}

/**
 * Formats a ratio from 0 to 1 as a percentage with one decimal, for example `0.8138` → `81.4%`.
 * @param ratio the ratio.
 * @returns the percentage text.
 */
export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}
