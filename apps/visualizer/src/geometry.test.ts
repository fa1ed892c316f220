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
  it('draws values from 0 (bottom) to 1 (top) across the width', () => {
    expect(linePath([0, 0.5, 1], 100, 10)).toBe('M0.0,10.0 L50.0,5.0 L100.0,0.0');
    expect(linePath([], 100, 10)).toBe('');
    expect(linePath([0.25], 100, 10)).toBe('M0.0,7.5');
  });

  it('clamps values outside 0..1', () => {
    expect(linePath([-1, 2], 10, 10)).toBe('M0.0,10.0 L10.0,0.0');
  });

  it('samples long runs, keeping the first and the last step', () => {
    const values = Array.from({ length: 10001 }, (_, i) => (i === 10000 ? 1 : 0));
    const d = linePath(values, 1000, 100, 50);
    expect(d.split(' ')).toHaveLength(50);
    expect(d.startsWith('M0.0,100.0')).toBe(true);
    expect(d.endsWith('L1000.0,0.0')).toBe(true);
  });
});
