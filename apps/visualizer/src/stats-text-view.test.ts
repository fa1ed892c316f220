import { formatSeedStats } from '@mems/stats';
import { describe, expect, it } from 'vitest';
import { parseCommand } from './command.js';
import { SCENARIOS } from './scenarios.js';
import { statsTextPieces } from './stats-text-view.js';
import { runProgram, stateAt } from './timeline.js';
import { DEFAULT_OPTIONS } from './visual-heap.js';

describe('statsTextPieces', () => {
  it('keeps each chain element with its arrow, and breaks only at the spaces between them', () => {
    const text = 'MAIN[1000:5095]-> P[1000:1999] <-> H[2000:5095] <-> NULL\nPages used:\t1\n';
    expect(statsTextPieces(text)).toEqual([
      ['MAIN[1000:5095]->', ' ', 'P[1000:1999] <->', ' ', 'H[2000:5095] <->', ' ', 'NULL\n'],
      ['Pages used:\t1\n'],
    ]);
  });

  it('gives back every scenario’s stats text byte for byte at every step, no piece splitting an element or an arrow', () => {
    for (const scenario of SCENARIOS) {
      const timeline = runProgram(
        DEFAULT_OPTIONS,
        scenario.lines.map((l) => parseCommand(l)!),
      );
      for (let step = 0; step < timeline.steps.length; step++) {
        const state = stateAt(timeline, step);
        const text = formatSeedStats(state.snapshot);
        state.release();
        const pieces = statsTextPieces(text);
        expect(pieces.flat().join('')).toBe(text);
        for (const piece of pieces.flat()) {
          if (piece === ' ') continue;
          // A piece holds whole elements and whole arrows only.
          expect(piece).toMatch(
            /^(?:(?:MAIN|P|H)\[\d+:\d+\](?:->| <->)?\n?|NULL\n?|[^\n]*[^ \n][^\n]*\n?|\n)$/,
          );
          if (piece.includes('<->')) expect(piece).toMatch(/^[PH]\[\d+:\d+\] <->$/);
        }
      }
    }
  });

  it('handles an empty text and a text without a final newline', () => {
    expect(statsTextPieces('')).toEqual([]);
    expect(statsTextPieces('a\nb')).toEqual([['a\n'], ['b']]);
  });
});
