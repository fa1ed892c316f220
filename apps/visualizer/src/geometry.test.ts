import { describe, expect, it } from 'vitest';
import { layoutAddressBar, linePath } from './geometry.js';
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
