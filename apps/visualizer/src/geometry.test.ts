import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addressExtent,
  CHART_DEFAULT_WIDTH,
  CHART_MIN_WIDTH,
  chartFrame,
  commonExtent,
  layoutAddressBar,
  linePath,
  NODE_EDGE_MIN_GAP_PX,
  nodeEdgeMarks,
} from './geometry.js';
import { runProgram, stateAt } from './timeline.js';
import { DEFAULT_OPTIONS } from './visual-heap.js';

describe('layoutAddressBar', () => {
  it('is empty for an empty heap', () => {
    expect(layoutAddressBar(stateAt(runProgram(DEFAULT_OPTIONS, []), 0).snapshot)).toEqual([]);
  });

  it('tiles the bar from 0% to 100% in address order, with a gap where a node was unmapped', () => {
    const timeline = runProgram(DEFAULT_OPTIONS, [
      { op: 'malloc', size: 5000 },
      { op: 'malloc', size: 100 },
      { op: 'malloc', size: 4096 },
    ]);
    const pieces = layoutAddressBar(stateAt(timeline, 3).snapshot);
    expect(pieces[0]!.left).toBe(0);
    const last = pieces.at(-1)!;
    expect(last.left + last.width).toBeCloseTo(100);
    for (let i = 1; i < pieces.length; i++) {
      expect(pieces[i]!.start).toBe(pieces[i - 1]!.lastAddress + 1);
      expect(pieces[i]!.left).toBeCloseTo(pieces[i - 1]!.left + pieces[i - 1]!.width);
    }
    const trimmed = runProgram(DEFAULT_OPTIONS, [
      { op: 'malloc', size: 4096 },
      { op: 'malloc', size: 4096 },
      { op: 'malloc', size: 4096 },
      { op: 'free', address: 5096 },
      { op: 'trim' },
    ]);
    const withGap = layoutAddressBar(stateAt(trimmed, 5).snapshot);
    expect(withGap.map((p) => p.kind)).toEqual(['PROCESS', 'GAP', 'PROCESS']);
    expect(withGap[1]).toMatchObject({ start: 5096, lastAddress: 9191 });
    expect(withGap[1]!.width).toBeCloseTo(100 / 3);
  });
});

describe('a shared extent (the comparison’s bars)', () => {
  const oneNode = stateAt(runProgram(DEFAULT_OPTIONS, [{ op: 'malloc', size: 100 }]), 1).snapshot;
  const twoNodes = stateAt(
    runProgram(DEFAULT_OPTIONS, [
      { op: 'malloc', size: 4000 },
      { op: 'malloc', size: 1000 },
    ]),
    2,
  ).snapshot;

  it('spans every node of every heap', () => {
    expect(addressExtent(oneNode)).toEqual({ first: 1000, last: 5095 });
    expect(addressExtent(twoNodes)).toEqual({ first: 1000, last: 9191 });
    expect(commonExtent([oneNode, twoNodes])).toEqual({ first: 1000, last: 9191 });
    expect(commonExtent([stateAt(runProgram(DEFAULT_OPTIONS, []), 0).snapshot])).toBeNull();
  });

  it('puts the same address at the same place on each bar: a heap that maps less ends in a gap', () => {
    const extent = commonExtent([oneNode, twoNodes])!;
    const small = layoutAddressBar(oneNode, extent);
    const large = layoutAddressBar(twoNodes, extent);
    expect(small.map((p) => p.kind)).toEqual(['PROCESS', 'HOLE', 'GAP']);
    expect(small.at(-1)).toMatchObject({ start: 5096, lastAddress: 9191 });
    expect(small.at(-1)!.left).toBeCloseTo(50);
    expect(small.at(-1)!.left + small.at(-1)!.width).toBeCloseTo(100);
    // The first node's hole ends half way across on both bars.
    expect(small[1]!.left + small[1]!.width).toBeCloseTo(50);
    expect(large.find((p) => p.start === 5096)!.left).toBeCloseTo(50);
    // On its own, the one-node heap fills its bar.
    expect(layoutAddressBar(oneNode).at(-1)!.left + layoutAddressBar(oneNode).at(-1)!.width).toBeCloseTo(100);
    expect(layoutAddressBar(oneNode).map((p) => p.kind)).toEqual(['PROCESS', 'HOLE']);
  });
});

describe('linePath', () => {
  it('draws values from 0 (bottom) to 1 (top) across the steps', () => {
    expect(linePath([0, 1, 2], [0, 0.5, 1], 2, 100, 10)).toBe('M0.0,10.0 L50.0,5.0 L100.0,0.0');
    expect(linePath([], [], 5, 100, 10)).toBe('');
    expect(linePath([0], [0.25], 0, 100, 10)).toBe('M0.0,7.5');
  });

  it('places sampled steps where they are', () => {
    expect(linePath([0, 750, 1000], [0, 0, 1], 1000, 100, 10)).toBe('M0.0,10.0 L75.0,10.0 L100.0,0.0');
  });

  it('clamps values outside 0..1', () => {
    expect(linePath([0, 1], [-1, 2], 1, 10, 10)).toBe('M0.0,10.0 L10.0,0.0');
  });
});

describe('chartFrame', () => {
  it('spans the whole container: a line from step 0 to the last step runs from the plot’s left edge to within the right margin of the container', () => {
    // The comparison's container at a 1280-pixel window is 1220 pixels wide; the chart used to be
    // capped at 832 of them, so the lines ended about two thirds across.
    const frame = chartFrame(1220);
    expect(frame.width).toBe(1220);
    expect(frame.plotLeft + frame.plotWidth).toBeGreaterThan(1220 - 20);
    const d = linePath([0, 7, 14], [0, 1, 0.5], 14, frame.plotWidth, frame.plotHeight);
    expect(d.split(' ').at(-1)).toBe(`L${frame.plotWidth.toFixed(1)},${(frame.plotHeight / 2).toFixed(1)}`);
  });

  it('lays out every container width from its narrowest on: the plot fills all but fixed margins, the text keeps its size', () => {
    fc.assert(
      fc.property(fc.integer({ min: CHART_MIN_WIDTH, max: 4000 }), (containerWidth) => {
        const frame = chartFrame(containerWidth);
        expect(frame.width).toBe(containerWidth);
        expect(frame.plotLeft).toBe(chartFrame(CHART_MIN_WIDTH).plotLeft);
        expect(frame.width - frame.plotLeft - frame.plotWidth).toBe(
          CHART_MIN_WIDTH - chartFrame(CHART_MIN_WIDTH).plotLeft - chartFrame(CHART_MIN_WIDTH).plotWidth,
        );
        expect(frame.plotTop + frame.plotHeight).toBeLessThan(frame.height);
        expect(frame.plotHeight).toBeGreaterThanOrEqual(160);
        expect(frame.plotHeight).toBeLessThanOrEqual(240);
      }),
    );
  });

  it('uses a default width before layout and never goes below the narrowest width', () => {
    expect(chartFrame(0).width).toBe(CHART_DEFAULT_WIDTH);
    expect(chartFrame(Number.NaN).width).toBe(CHART_DEFAULT_WIDTH);
    expect(chartFrame(100).width).toBe(CHART_MIN_WIDTH);
    expect(chartFrame(600.7).width).toBe(600);
  });
});

describe('nodeEdgeMarks', () => {
  /** A heap of `nodes` nodes, one 5000-byte block each (two pages a node), every other block freed. */
  function manyNodes(nodes: number) {
    const commands = [...Array.from({ length: nodes }, () => ({ op: 'malloc' as const, size: 5000 }))];
    const state = stateAt(runProgram(DEFAULT_OPTIONS, commands), nodes);
    state.release();
    return state.snapshot;
  }

  it('marks every node start but the bar’s left edge when there is room', () => {
    const snapshot = manyNodes(3);
    const marks = nodeEdgeMarks(snapshot, addressExtent(snapshot), 600);
    expect(marks.map((m) => m.address)).toEqual(snapshot.nodes.slice(1).map((n) => n.start));
    expect(marks.every((m) => m.boundaries === 1)).toBe(true);
    expect(marks[0]!.left).toBeCloseTo(100 / 3);
  });

  it('counts boundaries closer than the gap into one mark: 150 nodes on a 200 px bar', () => {
    const snapshot = manyNodes(150);
    const marks = nodeEdgeMarks(snapshot, addressExtent(snapshot), 200);
    expect(marks.reduce((sum, m) => sum + m.boundaries, 0)).toBe(149);
    expect(marks.length).toBeLessThanOrEqual(200 / NODE_EDGE_MIN_GAP_PX + 1);
    expect(marks.length).toBeGreaterThan(10);
    for (let i = 1; i < marks.length; i++)
      expect(((marks[i]!.left - marks[i - 1]!.left) / 100) * 200).toBeGreaterThanOrEqual(
        NODE_EDGE_MIN_GAP_PX,
      );
  });

  it('marks the end of a node that a gap follows, on a shared scale', () => {
    const snapshot = manyNodes(2);
    const own = addressExtent(snapshot)!;
    const wider = { first: own.first, last: own.last + 8192 };
    const marks = nodeEdgeMarks(snapshot, wider, 600);
    expect(marks.map((m) => m.address)).toEqual([snapshot.nodes[1]!.start, own.last + 1]);
    expect(nodeEdgeMarks(stateAt(runProgram(DEFAULT_OPTIONS, []), 0).snapshot)).toEqual([]);
  });

  it('keeps marks at least the gap apart for any widths (property)', () => {
    const snapshot = manyNodes(40);
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 3000 }), fc.integer({ min: 1, max: 10 }), (width, gap) => {
        const marks = nodeEdgeMarks(snapshot, addressExtent(snapshot), width, gap);
        expect(marks.reduce((sum, m) => sum + m.boundaries, 0)).toBe(39);
        for (let i = 1; i < marks.length; i++)
          expect(((marks[i]!.left - marks[i - 1]!.left) / 100) * width).toBeGreaterThanOrEqual(gap - 1e-9);
      }),
      { numRuns: 50 },
    );
  });
});
