import type { HeapSnapshot } from '@mems/core';
import { alignColumns, type ColumnAlign, columnWidths, formatPercent } from './columns';
import { nodeMetrics } from './metrics';
import { assertSnapshot } from './validate';

const HEADER = ['node', 'range', 'pages', 'used', 'free', 'largest hole', 'utilisation'];
const ALIGN: readonly ColumnAlign[] = ['right', 'left', 'right', 'right', 'right', 'right', 'right'];

/**
 * Formats a snapshot as a plain-text table with aligned columns: one row per main-chain node
 * (its index, virtual range `[start:last]`, pages, bytes used, bytes free, largest hole and
 * utilisation), then a totals row over all nodes. A dashed rule sits under the header and above
 * the totals, so the text has `nodes.length + 4` lines, each ending with `\n`.
 *
 * ```text
 *  node  range         pages   used  free  largest hole  utilisation
 * -----  ------------  -----  -----  ----  ------------  -----------
 *     0  [1000:5095]       1   4000    96            96        97.7%
 * ...
 * -----  ------------  -----  -----  ----  ------------  -----------
 * total  [1000:13287]      3  10000  2288          2096        81.4%
 * ```
 * @param snapshot a heap snapshot from `@mems/core`.
 * @returns the table text.
 * @throws {MemsError} `EINVAL` when `snapshot` is not an object with a `nodes` array and `counters`.
 */
export function formatTable(snapshot: HeapSnapshot): string {
  assertSnapshot('formatTable', snapshot);
  const rows: string[][] = [HEADER];
  let pages = 0;
  let used = 0;
  let free = 0;
  let size = 0;
  let largest = 0;
  snapshot.nodes.forEach((node, index) => {
    const m = nodeMetrics(node);
    pages += node.pages;
    used += m.bytesInUse;
    free += m.bytesFree;
    size += node.size;
    if (m.largestHole > largest) largest = m.largestHole;
    rows.push([
      String(index),
      `[${node.start}:${node.lastAddress}]`,
      String(node.pages),
      String(m.bytesInUse),
      String(m.bytesFree),
      String(m.largestHole),
      formatPercent(m.utilisation),
    ]);
  });
  const first = snapshot.nodes[0];
  const last = snapshot.nodes[snapshot.nodes.length - 1];
  const range = first && last ? `[${first.start}:${last.lastAddress}]` : '-';
  const totals = [
    'total',
    range,
    String(pages),
    String(used),
    String(free),
    String(largest),
    formatPercent(size > 0 ? used / size : 0),
  ];
  rows.push(totals);
  const lines = alignColumns(rows, ALIGN);
  const rule = columnWidths(rows, HEADER.length)
    .map((w) => '-'.repeat(w))
    .join('  ');
  const body = lines.slice(1, -1);
  return `${[lines[0], rule, ...body, rule, lines[lines.length - 1]].join('\n')}\n`;
}
