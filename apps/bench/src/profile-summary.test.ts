import { describe, expect, it } from 'vitest';
import { selfTimes } from './profile-summary.js';

describe('selfTimes', () => {
  it('adds up sample time per function, merges same-named frames, and sorts by share', () => {
    const frame = (functionName: string, line: number) => ({
      functionName,
      url: 'file:///x/heap.js',
      lineNumber: line,
    });
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 3] },
        { id: 2, callFrame: frame('allocate', 9) },
        { id: 3, callFrame: frame('free', 19) },
        { id: 4, callFrame: frame('allocate', 9) },
      ],
      samples: [2, 3, 2, 4, 1],
      timeDeltas: [10, 10, 10, 20, 50],
    };
    expect(selfTimes(profile)).toEqual([
      { name: '(root)', selfMicros: 50, share: 0.5 },
      { name: 'allocate (heap.js:10)', selfMicros: 40, share: 0.4 },
      { name: 'free (heap.js:20)', selfMicros: 10, share: 0.1 },
    ]);
  });
});
