import type { HeapSnapshot, NodeSnapshot } from '@mems/core';
import { allocateCells } from './cells';
import { formatPercent } from './columns';
import { heapMetrics, nodeMetrics } from './metrics';
import { assertIntegerOption, assertOptions, assertSnapshot, assertStringOption } from './validate';

/** How {@link formatSvg} draws the heap. */
export type SvgMode = 'auto' | 'detailed' | 'density';

/** Options of {@link formatSvg}. */
export interface SvgOptions {
  /** Picture width in pixels, 320 to 8192. Default 960. */
  width?: number;
  /** The title printed at the top (and used as the SVG's accessible title). Default `'MeMS heap'`. */
  title?: string;
  /**
   * `'detailed'`: one labelled row per node, one rectangle per segment. `'density'`: nodes
   * grouped into at most {@link SVG_DENSITY_MAX_ROWS} rows of shaded cells, size bounded for any
   * heap. `'auto'` (default): detailed up to {@link SVG_DETAIL_MAX_NODES} nodes and
   * {@link SVG_DETAIL_MAX_SEGMENTS} segments, density beyond.
   */
  mode?: SvgMode;
}

/** In `'auto'` mode, the most nodes drawn in detail. */
export const SVG_DETAIL_MAX_NODES = 64;
/** In `'auto'` mode, the most segments (over all nodes) drawn in detail. */
export const SVG_DETAIL_MAX_SEGMENTS = 1024;
/** In `'density'` mode, the most rows; consecutive nodes share a row when there are more. */
export const SVG_DENSITY_MAX_ROWS = 100;
/** In `'density'` mode, the most cells per row. */
export const SVG_DENSITY_MAX_COLUMNS = 64;
/** In `'density'` mode, the least distance in pixels between two node boundaries drawn in a row. */
export const SVG_DENSITY_MIN_BOUNDARY_GAP = 3;

const PAD = 16;
const TOP = PAD + 56;
const CHAR = 7.3; // approximate advance of a 12px monospace character
const SMALL_CHAR = 5.5; // approximate advance of a 9px monospace character

const STYLE = [
  'text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:#222}',
  '.t{font-size:16px;font-weight:bold}',
  '.s{font-size:12px;fill:#555}',
  '.n{font-size:12px}',
  '.a{font-size:9px;fill:#666}',
  '.i{font-size:10px;fill:#fff;text-anchor:middle}',
  '.ih{font-size:10px;fill:#555;text-anchor:middle}',
  '.p{fill:#2e7d32}',
  '.q{fill:#43a047}',
  '.h{fill:#e0e0e0}',
  '.seg{stroke:#fff;stroke-width:1}',
  '.c{stroke:#90a4ae;stroke-width:2}',
  '.b{stroke:#263238;stroke-width:1.5;fill:none}',
  '.d1{fill:#2e7d32;fill-opacity:.3}',
  '.d2{fill:#2e7d32;fill-opacity:.55}',
  '.d3{fill:#2e7d32;fill-opacity:.8}',
  '.d4{fill:#2e7d32}',
].join('');

/** Escapes text for XML element content and attribute values. */
function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/** Formats a coordinate with at most one decimal. */
function num(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

function rect(cls: string, x: number, y: number, width: number, height: number, title?: string): string {
  const attrs = `class="${cls}" x="${num(x)}" y="${num(y)}" width="${num(width)}" height="${num(height)}"`;
  return title === undefined
    ? `<rect ${attrs}/>`
    : `<rect ${attrs}><title>${escapeXml(title)}</title></rect>`;
}

function text(cls: string, x: number, y: number, content: string, anchorEnd = false): string {
  const anchor = anchorEnd ? ' text-anchor="end"' : '';
  return `<text class="${cls}" x="${num(x)}" y="${num(y)}"${anchor}>${escapeXml(content)}</text>`;
}

function header(snapshot: HeapSnapshot, title: string): string[] {
  const m = heapMetrics(snapshot);
  const c = snapshot.counters;
  const summary =
    `${snapshot.nodes.length} nodes, ${c.pagesMapped} pages, ${c.bytesInUse} B used, ${c.bytesFree} B free, ` +
    `utilisation now ${formatPercent(m.utilisation)}, fragmentation ${formatPercent(m.externalFragmentation)}`;
  return [text('t', PAD, PAD + 16, title), text('s', PAD, PAD + 36, summary)];
}

/** One labelled row per node, one rectangle per segment, address labels where they fit. */
function detailed(snapshot: HeapSnapshot, width: number): { body: string[]; height: number } {
  const body: string[] = [];
  const nodes = snapshot.nodes;
  const ROW = 46;
  const BAR = 22;
  const labels = nodes.map((node) => `MAIN[${node.start}:${node.lastAddress}]`);
  let longest = 0;
  for (const label of labels) if (label.length > longest) longest = label.length;
  const labelX = PAD + 16;
  const barX = Math.round(labelX + longest * CHAR + 12);
  const barWidth = Math.max(40, width - PAD - barX);
  // Bars to scale by bytes: the largest node spans barWidth, every other node its share (at
  // least 2 px so that it stays visible).
  let largest = 0;
  for (const node of nodes) if (node.size > largest) largest = node.size;
  const nodeBarWidth = (node: NodeSnapshot) =>
    largest > 0 ? Math.max(2, Math.round((barWidth * node.size) / largest)) : barWidth;
  if (nodes.length > 1) {
    // The main chain: a line through one dot per node.
    const y1 = TOP + BAR / 2;
    const y2 = TOP + (nodes.length - 1) * ROW + BAR / 2;
    body.push(`<line class="c" x1="${PAD + 6}" y1="${num(y1)}" x2="${PAD + 6}" y2="${num(y2)}"/>`);
  }
  nodes.forEach((node, i) => {
    const y = TOP + i * ROW;
    const m = nodeMetrics(node);
    body.push(
      `<g class="node"><title>${escapeXml(`${labels[i]}: ${node.size} bytes (${node.pages} page${node.pages === 1 ? '' : 's'}), ${formatPercent(m.utilisation)} in use`)}</title>`,
    );
    body.push(`<circle class="p" cx="${PAD + 6}" cy="${num(y + BAR / 2)}" r="4"/>`);
    body.push(text('n', labelX, y + 15, labels[i]!));
    for (const line of segmentRow(node, barX, y, nodeBarWidth(node), BAR)) body.push(line);
    body.push('</g>');
  });
  if (nodes.length === 0) body.push(text('s', PAD, TOP + 14, '(no nodes mapped)'));
  const legendY = TOP + Math.max(1, nodes.length) * ROW + 4;
  body.push(
    rect('p', PAD, legendY, 12, 12),
    rect('q', PAD + 12, legendY, 12, 12),
    text('s', PAD + 30, legendY + 10, 'PROCESS'),
    rect('h', PAD + 100, legendY, 24, 12),
    text('s', PAD + 130, legendY + 10, 'HOLE'),
    text('s', PAD + 180, legendY + 10, 'virtual addresses'),
    text('s', PAD, legendY + 28, `one bar per node, lengths to scale (a full bar is ${largest} bytes)`),
  );
  return { body, height: legendY + 30 + PAD };
}

/** The rectangles, inside labels and address labels of one node's sub-chain. */
function segmentRow(node: NodeSnapshot, barX: number, y: number, barWidth: number, bar: number): string[] {
  const out: string[] = [];
  const segments = node.segments;
  const pixels = Math.round(barWidth);
  let widths: number[];
  if (segments.length <= pixels) {
    widths = allocateCells(
      segments.map((s) => s.size),
      pixels,
    );
  } else {
    let total = 0;
    for (const s of segments) total += s.size;
    widths = segments.map((s) => (total > 0 ? (s.size / total) * barWidth : barWidth / segments.length));
  }
  // The end address is always labelled, right-aligned at the bar's end; start addresses are
  // labelled left to right wherever they overlap neither the previous label nor the end label.
  const barEnd = barX + (segments.length > 0 ? widths.reduce((sum, w) => sum + w, 0) : barWidth);
  const last = String(node.lastAddress);
  const lastLabelStart = barEnd - last.length * SMALL_CHAR;
  let x = barX;
  let labelEnd = Number.NEGATIVE_INFINITY;
  let previousProcess = false;
  segments.forEach((segment, i) => {
    const w = widths[i] ?? 0;
    const process = segment.kind === 'PROCESS';
    const cls = process ? (previousProcess ? 'q' : 'p') : 'h';
    previousProcess = process && !previousProcess;
    const name = `${process ? 'P' : 'H'}[${segment.start}:${segment.lastAddress}]`;
    out.push(rect(`${cls} seg`, x, y, w, bar, `${name} ${segment.size} bytes`));
    const inside = `${process ? 'P' : 'H'} ${segment.size} B`;
    if (w >= inside.length * 6.2 + 6) out.push(text(process ? 'i' : 'ih', x + w / 2, y + 15, inside));
    const address = String(segment.start);
    const end = x + address.length * SMALL_CHAR;
    if (x >= labelEnd + 6 && end + 6 <= lastLabelStart) {
      out.push(text('a', x, y + bar + 11, address));
      labelEnd = end;
    }
    x += w;
  });
  out.push(text('a', barEnd, y + bar + 11, last, true));
  return out;
}

/** Shade level of a cell from the share of its bytes in use: 0 free, 1-3 partly, 4 full. */
function level(share: number): number {
  if (share <= 1e-9) return 0;
  if (share >= 1 - 1e-9) return 4;
  return 1 + Math.min(2, Math.floor(share * 3));
}

/**
 * The lines between the nodes that share a density row, as one path: a dark vertical line at
 * each node boundary, at its exact position by bytes. Boundaries closer than
 * {@link SVG_DENSITY_MIN_BOUNDARY_GAP} px to the previous line drawn are skipped (a dense comb
 * still shows that the row holds many nodes), which keeps the document bounded.
 */
function boundaries(
  group: readonly NodeSnapshot[],
  total: number,
  barX: number,
  barWidth: number,
  y: number,
  height: number,
  body: string[],
): void {
  if (group.length < 2 || total <= 0) return;
  let d = '';
  let offset = 0;
  let lastX = barX;
  for (let i = 0; i < group.length - 1; i++) {
    offset += group[i]!.size;
    const x = barX + (offset / total) * barWidth;
    if (x - lastX < SVG_DENSITY_MIN_BOUNDARY_GAP) continue;
    d += `M${num(x)} ${num(y)}v${num(height)}`;
    lastX = x;
  }
  if (d !== '') body.push(`<path class="b" d="${d}"/>`);
}

/** Rows of shaded cells, consecutive nodes grouped per row with lines between them; sparse range labels. */
function density(snapshot: HeapSnapshot, width: number): { body: string[]; height: number } {
  const body: string[] = [];
  const nodes = snapshot.nodes;
  const perRow = Math.max(1, Math.ceil(nodes.length / SVG_DENSITY_MAX_ROWS));
  const rows = Math.ceil(nodes.length / perRow);
  const labelEvery = Math.max(1, Math.ceil(rows / 12));
  const rowHeight = rows === 0 ? 0 : Math.max(4, Math.min(16, Math.floor(600 / rows)));
  const labelFor = (r: number): string => {
    const first = nodes[r * perRow]!;
    const last = nodes[Math.min(nodes.length, (r + 1) * perRow) - 1]!;
    return `[${first.start}:${last.lastAddress}]`;
  };
  let longest = 0;
  for (let r = 0; r < rows; r += labelEvery) longest = Math.max(longest, labelFor(r).length);
  const barX = Math.round(PAD + longest * SMALL_CHAR + 10);
  const barWidth = Math.max(40, width - PAD - barX);
  const columns = Math.max(1, Math.min(SVG_DENSITY_MAX_COLUMNS, Math.floor(barWidth)));
  const cellWidth = barWidth / columns;
  const used = new Float64Array(columns);
  // Rows to scale by bytes, like the detailed bars: the row with the most bytes spans every
  // column, the others their share of the columns (at least one).
  const totals: number[] = [];
  let largest = 0;
  for (let r = 0; r < rows; r++) {
    let total = 0;
    for (let i = r * perRow; i < Math.min(nodes.length, (r + 1) * perRow); i++) total += nodes[i]!.size;
    totals.push(total);
    if (total > largest) largest = total;
  }
  for (let r = 0; r < rows; r++) {
    const y = TOP + r * rowHeight;
    const group = nodes.slice(r * perRow, (r + 1) * perRow);
    const total = totals[r]!;
    const rowColumns =
      largest > 0 ? Math.min(columns, Math.max(1, Math.round((columns * total) / largest))) : columns;
    const rowWidth = rowColumns * cellWidth;
    let inUse = 0;
    used.fill(0);
    let offset = 0;
    for (const node of group) {
      for (const s of node.segments) {
        if (s.kind === 'PROCESS' && total > 0 && s.size > 0) {
          inUse += s.size;
          // Spread the segment's bytes over the columns it overlaps.
          const from = (offset / total) * rowColumns;
          const to = ((offset + s.size) / total) * rowColumns;
          for (let c = Math.floor(from); c < Math.min(rowColumns, Math.ceil(to)); c++) {
            used[c]! += Math.min(to, c + 1) - Math.max(from, c);
          }
        }
        offset += s.size;
      }
    }
    const label = labelFor(r);
    const tip = `nodes ${r * perRow}-${r * perRow + group.length - 1} ${label}: ${formatPercent(total > 0 ? inUse / total : 0)} in use`;
    body.push(`<g><title>${escapeXml(tip)}</title>`);
    body.push(rect('h', barX, y, rowWidth, rowHeight - 1));
    for (let c = 0; c < rowColumns; ) {
      const l = level(used[c]!);
      let end = c + 1;
      while (end < rowColumns && level(used[end]!) === l) end++;
      if (l > 0) body.push(rect(`d${l}`, barX + c * cellWidth, y, (end - c) * cellWidth, rowHeight - 1));
      c = end;
    }
    boundaries(group, total, barX, rowWidth, y, rowHeight - 1, body);
    body.push('</g>');
    if (r % labelEvery === 0) body.push(text('a', barX - 6, y + Math.min(rowHeight, 10), label, true));
  }
  if (rows === 0) body.push(text('s', PAD, TOP + 14, '(no nodes mapped)'));
  const legendY = TOP + Math.max(rows * rowHeight, 20) + 8;
  body.push(
    rect('h', PAD, legendY, 12, 12),
    text('s', PAD + 18, legendY + 10, 'free'),
    rect('d1', PAD + 70, legendY, 12, 12),
    rect('d2', PAD + 82, legendY, 12, 12),
    rect('d3', PAD + 94, legendY, 12, 12),
    text('s', PAD + 112, legendY + 10, 'partly in use'),
    rect('d4', PAD + 230, legendY, 12, 12),
    text('s', PAD + 248, legendY + 10, 'in use'),
    text(
      's',
      PAD,
      legendY + 28,
      `${perRow === 1 ? 'one node per row' : `${perRow} nodes per row, dark lines between them`}; rows to scale (a full row is ${largest} bytes)`,
    ),
  );
  return { body, height: legendY + 30 + PAD };
}

/**
 * Draws the heap as a standalone SVG document (UTF-8, no XML declaration, so it can also be
 * inlined in HTML). A title and a summary line (nodes, pages, bytes used and free, utilisation,
 * fragmentation) sit on top. In detailed mode each main-chain node is a row: a dot on the main
 * chain line, its `MAIN[start:last]` label, and its sub-chain as one rectangle per segment
 * (PROCESS green, neighbours alternating shades; HOLE grey), with `P 1000 B` inside where it
 * fits, start addresses under the bar where they do not overlap, and a tooltip per segment.
 * In density mode (large heaps) consecutive nodes share a row, each row is at most
 * {@link SVG_DENSITY_MAX_COLUMNS} cells shaded by the share of bytes in use, and about a dozen
 * rows carry their address range: the document stays bounded (well under 1 MB) for any heap.
 * All text is XML-escaped. The result ends with `\n`.
 * @param snapshot a heap snapshot from `@mems/core`.
 * @param options `width` (320 to 8192 px, default 960), `title` (default `'MeMS heap'`) and
 *   `mode` (`'auto'`, `'detailed'` or `'density'`; default `'auto'`).
 * @returns the SVG text.
 * @throws {MemsError} `EINVAL` when `snapshot` is not an object with a `nodes` array and
 *   `counters`, or when an option has the wrong type or range.
 */
export function formatSvg(snapshot: HeapSnapshot, options?: SvgOptions): string {
  assertSnapshot('formatSvg', snapshot);
  assertOptions('formatSvg', options);
  assertIntegerOption('formatSvg', 'width', options?.width, 320, 8192);
  assertStringOption('formatSvg', 'title', options?.title);
  assertStringOption('formatSvg', 'mode', options?.mode, ['auto', 'detailed', 'density']);
  const width = options?.width ?? 960;
  const title = options?.title ?? 'MeMS heap';
  let mode = options?.mode ?? 'auto';
  if (mode === 'auto') {
    let segments = 0;
    for (const node of snapshot.nodes) segments += node.segments.length;
    const small = snapshot.nodes.length <= SVG_DETAIL_MAX_NODES && segments <= SVG_DETAIL_MAX_SEGMENTS;
    mode = small ? 'detailed' : 'density';
  }
  const { body, height } = mode === 'detailed' ? detailed(snapshot, width) : density(snapshot, width);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${num(height)}" viewBox="0 0 ${width} ${num(height)}" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<style>${STYLE}</style>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...header(snapshot, title),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
