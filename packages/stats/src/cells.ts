/**
 * Shares `width` cells among parts in proportion to their sizes, giving every part at least one
 * cell. Needs `sizes.length <= width`; the result always sums to exactly `width`. Rounding
 * uses largest remainders; the cells given to tiny parts are taken back from the parts that are
 * most over-served. When every size is 0, the parts count as equal.
 * @param sizes the parts' sizes (finite, >= 0).
 * @param width how many cells to share out (an integer >= sizes.length).
 * @returns the number of cells per part, each >= 1, summing to `width` (or `[]` for no parts).
 * @throws {RangeError} when there are more parts than cells.
 */
export function allocateCells(sizes: readonly number[], width: number): number[] {
  const n = sizes.length;
  if (n === 0) return [];
  if (n > width) throw new RangeError(`allocateCells: ${n} parts do not fit in ${width} cells`);
  let total = 0;
  for (const size of sizes) total += size;
  const weights = total > 0 ? sizes : sizes.map(() => 1);
  const weightTotal = total > 0 ? total : n;
  const ideal = weights.map((w) => (w / weightTotal) * width);
  const cells = ideal.map((x) => Math.max(1, Math.floor(x)));
  let sum = 0;
  for (const c of cells) sum += c;
  if (sum < width) {
    // Hand out the missing cells by largest remainder; the deficit is below n, so one pass does.
    const order = cells
      .map((_, i) => i)
      .sort((a, b) => ideal[b]! - cells[b]! - (ideal[a]! - cells[a]!) || a - b);
    for (let k = 0; sum < width; k = (k + 1) % n) {
      cells[order[k]!]!++;
      sum++;
    }
  }
  while (sum > width) {
    // Take cells back from the most over-served parts that can spare one.
    const order = cells
      .map((_, i) => i)
      .filter((i) => cells[i]! > 1)
      .sort((a, b) => cells[b]! - ideal[b]! - (cells[a]! - ideal[a]!) || a - b);
    for (const i of order) {
      if (sum === width) break;
      cells[i]!--;
      sum--;
    }
  }
  return cells;
}
