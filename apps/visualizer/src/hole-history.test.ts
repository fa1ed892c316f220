import { describe, expect, it } from 'vitest';
import { parseCommand } from './command.js';
import { holeHistory, holeRefusalText } from './hole-history.js';
import { runProgram, stateAt } from './timeline.js';
import { DEFAULT_OPTIONS } from './visual-heap.js';

const run = (...lines: string[]) =>
  runProgram(
    DEFAULT_OPTIONS,
    lines.map((l) => parseCommand(l)!),
  );

/** The holes of a timeline's step. */
function holesAt(timeline: ReturnType<typeof run>, step: number) {
  const state = stateAt(timeline, step);
  try {
    return state.snapshot.nodes.flatMap((n) => n.segments.filter((s) => s.kind === 'HOLE'));
  } finally {
    state.release();
  }
}

describe('holeHistory', () => {
  it('calls the tail hole of a fresh node never allocated', () => {
    const timeline = run('malloc 1000');
    const [tail] = holesAt(timeline, 1);
    expect(tail).toMatchObject({ start: 2000, lastAddress: 5095 });
    const history = holeHistory(timeline.steps, 1, tail!);
    expect(history.kind).toBe('never-allocated');
    expect(history.text).not.toMatch(/freed/);
  });

  it('calls the hole a free made freed, and a hole merged with the untouched tail partly freed', () => {
    const timeline = run('malloc 1000', 'malloc 1000', 'free 1000', 'free 2000');
    const [freed, tail] = holesAt(timeline, 3);
    expect(freed).toMatchObject({ start: 1000, lastAddress: 1999 });
    expect(holeHistory(timeline.steps, 3, freed!).kind).toBe('freed');
    expect(holeHistory(timeline.steps, 3, tail!).kind).toBe('never-allocated');
    // Freeing the second block merges everything into one hole: 2000 bytes held blocks, 2096 never did.
    const [whole] = holesAt(timeline, 4);
    expect(whole).toMatchObject({ start: 1000, lastAddress: 5095 });
    const merged = holeHistory(timeline.steps, 4, whole!);
    expect(merged).toMatchObject({ kind: 'partly-freed', usedBytes: 2000 });
    expect(merged.text).toBe(
      'partly freed: blocks held 2000 bytes of its 4096 before (given back by a free or a realloc); the other 2096 bytes were never allocated',
    );
  });

  it('only looks at the steps up to the current one, and counts overlapping blocks once', () => {
    // realloc shrinks in place: its tail becomes a hole that a block held.
    const timeline = run('malloc 3000', 'realloc 1000 1000', 'malloc 500');
    const [cut] = holesAt(timeline, 2);
    expect(cut).toMatchObject({ start: 2000, lastAddress: 5095 });
    expect(holeHistory(timeline.steps, 2, cut!)).toMatchObject({ kind: 'partly-freed', usedBytes: 2000 });
    // The malloc of step 3 lands in [2000:2499], inside the bytes already counted.
    const [after] = holesAt(timeline, 3);
    expect(holeHistory(timeline.steps, 3, after!)).toMatchObject({ kind: 'partly-freed', usedBytes: 1500 });
    // At step 0 no hole exists, and nothing has been placed.
    expect(holeHistory(timeline.steps, 0, { kind: 'HOLE', start: 1000, lastAddress: 1999 }).kind).toBe(
      'never-allocated',
    );
  });

  it('refuses a step outside the timeline and a segment that is not a hole', () => {
    const timeline = run('malloc 1000');
    expect(() => holeHistory(timeline.steps, 2, { kind: 'HOLE', start: 0, lastAddress: 1 })).toThrow(
      'holeHistory: step 2 is not in 0..1',
    );
    expect(() => holeHistory(timeline.steps, 1, { kind: 'PROCESS', start: 1000, lastAddress: 1999 })).toThrow(
      RangeError,
    );
  });
});

describe('holeRefusalText', () => {
  it("drops MeMS's guess “(already freed?)” and keeps the rest of its message", () => {
    expect(
      holeRefusalText('EFAULT: get(2000): 2000 is inside a free hole [2000:5095] (already freed?)'),
    ).toBe('EFAULT: get(2000): 2000 is inside a free hole [2000:5095]');
    expect(holeRefusalText('EFAULT: something else')).toBe('EFAULT: something else');
  });
});
