import type { HeapSnapshot, NodeSnapshot } from '@mems/core';
import { allocateCells } from './cells';
import { formatPercent } from './columns';
import { nodeMetrics } from './metrics';
import { assertBooleanOption, assertIntegerOption, assertOptions, assertSnapshot } from './validate';

/** Options of {@link formatTerminalMap}. */
export interface TerminalMapOptions {
  /** Cells per bar, 1 to 10000. Default 64. */
  width?: number;
  /**
   * Draw with ANSI colours (green and cyan blocks for PROCESS, grey shading for HOLE) instead of
   * plain ASCII. Default false; a CLI passes whether its stdout is a TTY.
   */
  color?: boolean;
}

/** The default number of cells per bar. */
export const DEFAULT_MAP_WIDTH = 64;

const ESC = '\u001b[';
const RESET = `${ESC}0m`;

/** The glyph of each cell kind: 0 PROCESS, 1 PROCESS next to another PROCESS, 2 HOLE. */
type Glyph = 0 | 1 | 2;

const PLAIN: readonly string[] = ['#', '=', '.'];
const COLOURED: readonly string[] = [`${ESC}32m█`, `${ESC}36m█`, `${ESC}90m░`];

/** The glyph of every cell of one node's bar. */
function barGlyphs(node: NodeSnapshot, width: number): Glyph[] {
  const segments = node.segments;
  const glyphs: Glyph[] = [];
  if (segments.length === 0) return glyphs;
  if (segments.length <= width) {
    // Every segment gets its own cells; neighbouring PROCESS blocks alternate glyphs.
    const cells = allocateCells(
      segments.map((s) => s.size),
      width,
    );
    let previous: Glyph = 2;
    segments.forEach((segment, i) => {
      const glyph: Glyph = segment.kind === 'HOLE' ? 2 : previous === 0 ? 1 : 0;
      for (let c = 0; c < cells[i]!; c++) glyphs.push(glyph);
      previous = glyph;
    });
    return glyphs;
  }
  // More segments than cells: each cell covers an equal share of bytes and shows the kind that
  // covers most of it (PROCESS on a tie).
  let total = 0;
  for (const s of segments) total += s.size;
  const cellBytes = total / width;
  let index = 0;
  let offset = 0; // bytes of segments[index] already consumed by earlier cells
  for (let c = 0; c < width; c++) {
    let remaining = cellBytes;
    let process = 0;
    let hole = 0;
    while (remaining > 0 && index < segments.length) {
      const segment = segments[index]!;
      const take = Math.min(remaining, segment.size - offset);
      if (segment.kind === 'PROCESS') process += take;
      else hole += take;
      remaining -= take;
      offset += take;
      if (offset >= segment.size) {
        index++;
        offset = 0;
      }
    }
    glyphs.push(process >= hole ? 0 : 2);
  }
  return glyphs;
}

/** Renders glyphs, opening a colour only where the glyph changes so runs share one escape. */
function renderBar(glyphs: readonly Glyph[], width: number, color: boolean): string {
  if (glyphs.length === 0) return ' '.repeat(width);
  if (!color) return glyphs.map((g) => PLAIN[g]).join('');
  let out = '';
  let previous = -1;
  for (const g of glyphs) {
    if (g === previous) out += g === 2 ? '░' : '█';
    else out += COLOURED[g];
    previous = g;
  }
  return out + RESET;
}

/**
 * The number of cells of each node's bar: bars are to scale by bytes, the largest node filling
 * `width` cells and every other node `width × its size / the largest size`, rounded, at least
 * one cell.
 * @param nodes the snapshot's nodes.
 * @param width cells of the largest node's bar.
 * @returns the cells per node.
 */
export function scaledBarCells(nodes: readonly NodeSnapshot[], width: number): number[] {
  let largest = 0;
  for (const node of nodes) if (node.size > largest) largest = node.size;
  return nodes.map((node) =>
    largest > 0 ? Math.min(width, Math.max(1, Math.round((width * node.size) / largest))) : width,
  );
}

/**
 * Draws the heap for a terminal: one line per main-chain node with its virtual range, a bar,
 * and the node's utilisation (its bytes in use / its size). Bars are to scale by bytes: the
 * largest node's bar has exactly `width` cells and every other bar `width × size / largest`
 * cells (at least one), so a 2-page node is twice as long as a 1-page one. Inside a bar,
 * PROCESS and HOLE segments take cells in proportion to their sizes (every segment at least
 * one cell while the bar has no fewer cells than the node has segments; beyond that each cell
 * shows the kind covering most of its bytes). Neighbouring PROCESS blocks alternate `#` and `=`
 * (or green and cyan) so block boundaries stay visible; holes are `.` (or grey shading). A
 * legend line ends the map, saying how many bytes a full bar stands for; an empty heap prints
 * `(no nodes mapped)` and the legend. Every line ends with `\n`.
 *
 * ```text
 * [1000:5095]   |###############=###############=###############.|                                  97.7%
 * [5096:13287]  |###############=###############=###############=###############=###############....| 97.7%
 * ```
 * @param snapshot a heap snapshot from `@mems/core`.
 * @param options `width` (cells of the largest node's bar, 1 to 10000, default 64) and `color`
 *   (ANSI colours, default false).
 * @returns the map text.
 * @throws {MemsError} `EINVAL` when `snapshot` is not an object with a `nodes` array and
 *   `counters`, or when an option has the wrong type or range.
 */
export function formatTerminalMap(snapshot: HeapSnapshot, options?: TerminalMapOptions): string {
  assertSnapshot('formatTerminalMap', snapshot);
  assertOptions('formatTerminalMap', options);
  assertIntegerOption('formatTerminalMap', 'width', options?.width, 1, 10000);
  assertBooleanOption('formatTerminalMap', 'color', options?.color);
  const width = options?.width ?? DEFAULT_MAP_WIDTH;
  const color = options?.color ?? false;
  const nodes = snapshot.nodes;
  const labels = nodes.map((node) => `[${node.start}:${node.lastAddress}]`);
  let labelWidth = 0;
  for (const label of labels) if (label.length > labelWidth) labelWidth = label.length;
  const cells = scaledBarCells(nodes, width);
  let largest = 0;
  let out = '';
  nodes.forEach((node, i) => {
    if (node.size > largest) largest = node.size;
    const barCells = cells[i]!;
    const bar = renderBar(barGlyphs(node, barCells), barCells, color);
    const percent = formatPercent(nodeMetrics(node).utilisation).padStart(6);
    out += `${labels[i]!.padEnd(labelWidth)} |${bar}|${' '.repeat(width - barCells)} ${percent}\n`;
  });
  if (nodes.length === 0) out += '(no nodes mapped)\n';
  const legend = color
    ? `${COLOURED[0]}${COLOURED[1]}${RESET} PROCESS (neighbouring blocks alternate)  ${COLOURED[2]}${RESET} HOLE`
    : '#= PROCESS (neighbouring blocks alternate)  . HOLE';
  const scale = nodes.length === 0 ? 'bars to scale' : `bars to scale, ${width} cells = ${largest} bytes`;
  return `${out}Legend: ${legend}  (one bar per node, ${scale}; % = the node's bytes in use)\n`;
}
