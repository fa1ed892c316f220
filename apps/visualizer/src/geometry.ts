import type { HeapSnapshot, SegmentKind } from '@mems/core';

/** One piece of the address-order bar: a segment, or a gap of unmapped addresses between nodes. */
export interface BarPiece {
  /** PROCESS, HOLE, or GAP (addresses no node holds). */
  readonly kind: SegmentKind | 'GAP';
  /** First virtual address. */
  readonly start: number;
  /** Last virtual address (inclusive). */
  readonly lastAddress: number;
  /** Left edge, percent of the bar. */
  readonly left: number;
  /** Width, percent of the bar. */
  readonly width: number;
}

/**
 * Lays the whole virtual space of a heap out on one bar, in address order, each piece as wide as
 * its share of the bytes from the first node's start to the last node's end.
 * @param snapshot the heap.
 * @returns the pieces, left to right (empty for a heap with no node).
 */
export function layoutAddressBar(snapshot: HeapSnapshot): BarPiece[] {
  const nodes = snapshot.nodes;
  if (nodes.length === 0) return [];
  const first = nodes[0]!.start;
  const total = nodes[nodes.length - 1]!.lastAddress - first + 1;
  const pct = (address: number) => ((address - first) / total) * 100;
  const pieces: BarPiece[] = [];
  let expected = first;
  for (const node of nodes) {
    if (node.start > expected)
      pieces.push({
        kind: 'GAP',
        start: expected,
        lastAddress: node.start - 1,
        left: pct(expected),
        width: pct(node.start) - pct(expected),
      });
    for (const s of node.segments)
      pieces.push({
        kind: s.kind,
        start: s.start,
        lastAddress: s.lastAddress,
        left: pct(s.start),
        width: pct(s.lastAddress + 1) - pct(s.start),
      });
    expected = node.lastAddress + 1;
  }
  return pieces;
}

/**
 * A line chart of values from 0 to 1 over steps, as an SVG path: step 0 at the left edge,
 * step `lastStep` at the right, value 0 at the bottom and 1 at the top (values outside are
 * clamped).
 * @param steps the steps that have a value, ascending.
 * @param values one value per step in `steps`.
 * @param lastStep the step at the right edge.
 * @param width the chart's width in SVG units.
 * @param height its height.
 * @returns the path's `d` attribute (`''` for no values).
 */
export function linePath(
  steps: readonly number[],
  values: readonly number[],
  lastStep: number,
  width: number,
  height: number,
): string {
  const x = (step: number) => (lastStep <= 0 ? 0 : (step / lastStep) * width);
  const y = (v: number) => height - Math.min(1, Math.max(0, v)) * height;
  return values
    .map((v, j) => `${j === 0 ? 'M' : 'L'}${x(steps[j]!).toFixed(1)},${y(v).toFixed(1)}`)
    .join(' ');
}
