/**
 * Formats ns per operation: one decimal below 100, whole numbers with thousands separators above.
 * @param ns nanoseconds.
 * @returns e.g. `8.4`, `95.0`, `1,286`.
 */
export function formatNs(ns: number): string {
  if (ns < 100) return ns.toFixed(1);
  return Math.round(ns).toLocaleString('en-US');
}

/**
 * Formats a point key for a column header: live-block counts as 1k, 10k, 100k, 1M.
 * @param point a point key (`"10000"`, or `"25×16"`).
 * @returns the label.
 */
export function formatPoint(point: string): string {
  if (!/^\d+$/.test(point)) return point;
  const n = Number(point);
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return point;
}

/**
 * Formats a ratio: `12×`, `2.5×`, `0.43×`.
 * @param ratio a positive number.
 * @returns the text.
 */
export function formatRatio(ratio: number): string {
  if (ratio >= 10) return `${Math.round(ratio).toLocaleString('en-US')}×`;
  if (ratio >= 1) return `${ratio.toFixed(1)}×`;
  return `${ratio.toFixed(2)}×`;
}

/**
 * Formats a byte count: B, KiB or MiB, signed when `signed` is set.
 * @param bytes a byte count.
 * @param signed whether to show a + for positive values.
 * @returns the text.
 */
export function formatBytes(bytes: number, signed = false): string {
  const sign = bytes < 0 ? '−' : signed ? '+' : '';
  const b = Math.abs(bytes);
  if (b < 1024) return `${sign}${Math.round(b)} B`;
  if (b < 1024 * 1024) return `${sign}${(b / 1024).toFixed(1)} KiB`;
  return `${sign}${(b / 1024 / 1024).toFixed(2)} MiB`;
}

/**
 * Formats a count with thousands separators, or as 1.2M above a million.
 * @param n a count.
 * @returns the text.
 */
export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  return Math.round(n).toLocaleString('en-US');
}

/**
 * Lays out rows as a plain-text table with aligned columns.
 * @param header the column titles.
 * @param rows the cells.
 * @param leftColumns how many leading columns are text (left-aligned); the rest are numbers
 *   (right-aligned). Default 1.
 * @returns the lines joined with newlines.
 */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  leftColumns = 1,
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i < leftColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * Lays out rows as a Markdown table (first column left-aligned, others right-aligned).
 * @param header the column titles.
 * @param rows the cells.
 * @returns the table's lines joined with newlines.
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escapeCell = (c: string): string => c.replace(/\|/g, '\\|');
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  const align = header.map((_, i) => (i === 0 ? ':---' : '---:'));
  return [line(header), `|${align.join('|')}|`, ...rows.map(line)].join('\n');
}
