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

/** The virtual addresses a bar spans: from `first` to `last`, inclusive. */
export interface AddressExtent {
  /** The address at the bar's left edge. */
  readonly first: number;
  /** The address at its right edge (inclusive). */
  readonly last: number;
}

/**
 * The addresses a heap's nodes span, from the first node's start to the last node's end.
 * @param snapshot the heap.
 * @returns the extent, or `null` for a heap with no node.
 */
export function addressExtent(snapshot: HeapSnapshot): AddressExtent | null {
  const nodes = snapshot.nodes;
  if (nodes.length === 0) return null;
  return { first: nodes[0]!.start, last: nodes[nodes.length - 1]!.lastAddress };
}

/**
 * The extent that holds several heaps' (the comparison's policies), so that their bars share
 * one scale and the same address sits at the same place on each.
 * @param snapshots the heaps.
 * @returns the smallest extent that holds every node of every heap, or `null` when none has a node.
 */
export function commonExtent(snapshots: readonly HeapSnapshot[]): AddressExtent | null {
  let extent: AddressExtent | null = null;
  for (const snapshot of snapshots) {
    const own = addressExtent(snapshot);
    if (own === null) continue;
    extent =
      extent === null
        ? own
        : { first: Math.min(extent.first, own.first), last: Math.max(extent.last, own.last) };
  }
  return extent;
}

/**
 * Lays the whole virtual space of a heap out on one bar, in address order, each piece as wide as
 * its share of the bytes of the extent (by default from the first node's start to the last
 * node's end). Addresses of the extent that no node holds are GAP pieces.
 * @param snapshot the heap.
 * @param extent the addresses the bar spans (it must hold every node; default: the heap's own).
 * @returns the pieces, left to right (empty for a heap with no node).
 */
export function layoutAddressBar(snapshot: HeapSnapshot, extent = addressExtent(snapshot)): BarPiece[] {
  const nodes = snapshot.nodes;
  if (nodes.length === 0 || extent === null) return [];
  const first = extent.first;
  const total = extent.last - first + 1;
  const pct = (address: number) => ((address - first) / total) * 100;
  const pieces: BarPiece[] = [];
  const gap = (start: number, lastAddress: number) =>
    pieces.push({
      kind: 'GAP',
      start,
      lastAddress,
      left: pct(start),
      width: pct(lastAddress + 1) - pct(start),
    });
  let expected = first;
  for (const node of nodes) {
    if (node.start > expected) gap(expected, node.start - 1);
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
  if (expected <= extent.last) gap(expected, extent.last);
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

/** Where a chart's plot sits inside it, in SVG units that are CSS pixels (the chart is drawn 1:1). */
export interface ChartFrame {
  /** The chart's whole width: the width it was laid out for. */
  readonly width: number;
  /** Its whole height. */
  readonly height: number;
  /** The plot's left edge (room for the value ticks on its left). */
  readonly plotLeft: number;
  /** The plot's top edge. */
  readonly plotTop: number;
  /** The plot's width: step 0 at `plotLeft`, the last step at `plotLeft + plotWidth`. */
  readonly plotWidth: number;
  /** The plot's height: value 1 at `plotTop`, value 0 at `plotTop + plotHeight`. */
  readonly plotHeight: number;
}

/** The narrowest chart drawn; a narrower container scrolls it rather than squeezing the plot to nothing. */
export const CHART_MIN_WIDTH = 240;
/** The width used before the container has been laid out (a closed `<details>` has none). */
export const CHART_DEFAULT_WIDTH = 650;
const CHART_MARGIN = { left: 44, right: 14, top: 10, bottom: 26 } as const;
/** The plot's height grows with the chart's width, between these bounds (a wide, flat plot hides the slopes). */
const CHART_PLOT_HEIGHT = { min: 160, max: 240, perWidth: 0.2 } as const;

/**
 * Lays a chart out over the whole width of its container, with fixed room for the ticks, so the
 * plot (and every line in it, which runs from step 0 to the last step) spans the container at
 * every screen width and the text keeps its size.
 * @param containerWidth the container's content width in CSS pixels (0 or not finite before layout).
 * @returns the frame: whole size and plot box.
 */
export function chartFrame(containerWidth: number): ChartFrame {
  const laidOut = Number.isFinite(containerWidth) && containerWidth > 0;
  const width = Math.max(CHART_MIN_WIDTH, Math.floor(laidOut ? containerWidth : CHART_DEFAULT_WIDTH));
  const plotHeight = Math.round(
    Math.min(CHART_PLOT_HEIGHT.max, Math.max(CHART_PLOT_HEIGHT.min, width * CHART_PLOT_HEIGHT.perWidth)),
  );
  return {
    width,
    height: CHART_MARGIN.top + plotHeight + CHART_MARGIN.bottom,
    plotLeft: CHART_MARGIN.left,
    plotTop: CHART_MARGIN.top,
    plotWidth: width - CHART_MARGIN.left - CHART_MARGIN.right,
    plotHeight,
  };
}

/** Node boundaries on an address bar closer than this many pixels are drawn as one mark. */
export const NODE_EDGE_MIN_GAP_PX = 3;

/** One mark of node boundaries on an address bar. */
export interface NodeEdgeMark {
  /** Where it sits, percent of the bar (the position of its first boundary). */
  readonly left: number;
  /** The first boundary's address (the first address after it). */
  readonly address: number;
  /** How many node boundaries it stands for (more than one where they are closer than the gap). */
  readonly boundaries: number;
}

/**
 * Where an address bar marks its node boundaries: each node's start (but the bar's left edge)
 * and each node's end that a gap of unmapped addresses follows (but the bar's right edge).
 * Boundaries closer than `minGapPx` to the last mark are counted into it rather than drawn, so
 * that many small nodes give a row of thin ticks at least `minGapPx` apart, never a black block.
 * @param snapshot the heap.
 * @param extent the addresses the bar spans (default: the heap's own).
 * @param widthPx the bar's width in CSS pixels (0 or not finite: not laid out yet, 600 assumed).
 * @param minGapPx the least distance between two marks (default {@link NODE_EDGE_MIN_GAP_PX}).
 * @returns the marks, left to right (empty for a heap with no node).
 */
export function nodeEdgeMarks(
  snapshot: HeapSnapshot,
  extent = addressExtent(snapshot),
  widthPx = 0,
  minGapPx = NODE_EDGE_MIN_GAP_PX,
): NodeEdgeMark[] {
  const nodes = snapshot.nodes;
  if (nodes.length === 0 || extent === null) return [];
  const width = Number.isFinite(widthPx) && widthPx > 0 ? widthPx : 600;
  const total = extent.last - extent.first + 1;
  const boundaries: number[] = [];
  nodes.forEach((node, i) => {
    if (node.start > extent.first) boundaries.push(node.start);
    const end = node.lastAddress + 1;
    const next = nodes[i + 1];
    if (end <= extent.last && (next === undefined || next.start > end)) boundaries.push(end);
  });
  const marks: { left: number; address: number; px: number; boundaries: number }[] = [];
  for (const address of boundaries) {
    const px = ((address - extent.first) / total) * width;
    const last = marks[marks.length - 1];
    if (last !== undefined && px - last.px < minGapPx) last.boundaries++;
    else marks.push({ left: ((address - extent.first) / total) * 100, address, px, boundaries: 1 });
  }
  return marks.map(({ left, address, boundaries: n }) => ({ left, address, boundaries: n }));
}
