import { OP_ALLOCATE, OP_FREE } from '@mems/traces';
import { describe, expect, it } from 'vitest';
import type { TraceScript } from '../traces/trace-script.js';
import { runPairedTrace, spreadOf } from './paired-trace.js';

const SCRIPT: TraceScript = {
  name: 'pair',
  length: 4,
  ops: Uint8Array.from([OP_ALLOCATE, OP_ALLOCATE, OP_FREE, OP_FREE]),
  slots: Uint32Array.from([0, 1, 0, 1]),
  sizes: Uint32Array.from([8, 8, 0, 0]),
  blocks: 2,
};

/**
 * Two allocators on a fake clock: each operation of side A advances it by `a` ns, of side B by
 * `b` ns; the order in which the replays ran is logged.
 */
function sides(a: number, b: number) {
  let now = 0;
  const order: string[] = [];
  const side = (name: string, cost: () => number) => {
    let next = 1;
    return {
      label: name,
      methods: { malloc: 'malloc', free: 'free', realloc: 'realloc' },
      target: {
        malloc: () => {
          order.push(name);
          now += cost();
          return next++;
        },
        free: () => {
          now += cost();
        },
        realloc: () => next++,
      },
    };
  };
  return { order, clock: () => now, pair: [side('A', () => a), side('B', () => b)] as const };
}

describe('a paired trace run', () => {
  it('warms both sides up, then alternates them ABBA and reports the per-round speed-up of the first', () => {
    const { order, clock, pair } = sides(10, 25);
    const result = runPairedTrace(SCRIPT, pair, { rounds: 3, warmups: 1 }, clock);
    // Warm-up A then B, then rounds A B, B A, A B: two mallocs per replay.
    expect(order.join('')).toBe('AABB' + 'AABB' + 'BBAA' + 'AABB');
    expect(result.labels).toEqual(['A', 'B']);
    expect(result.ns[0]).toBeCloseTo(10);
    expect(result.ns[1]).toBeCloseTo(25);
    expect(result.perRound).toEqual([2.5, 2.5, 2.5]);
    expect(result.speedup.median).toBeCloseTo(2.5);
    expect(result.operations).toBe(4);
  });

  it('refuses a replay the clock timed at zero', () => {
    const { pair } = sides(0, 1);
    expect(() => runPairedTrace(SCRIPT, pair, { rounds: 1, warmups: 0 }, () => 5)).toThrow(
      /the clock gave 0 ns/,
    );
  });

  it('refuses a negative warm-up count', () => {
    const { clock, pair } = sides(1, 1);
    expect(() => runPairedTrace(SCRIPT, pair, { rounds: 1, warmups: -1 }, clock)).toThrow(RangeError);
  });
});

describe('the spread of per-round speed-ups', () => {
  it('gives the median, the quartiles as medians of each half, and the range', () => {
    expect(spreadOf([5, 1, 3, 2, 4, 6])).toEqual({ median: 3.5, q1: 2, q3: 5, min: 1, max: 6 });
    expect(spreadOf([7])).toEqual({ median: 7, q1: 7, q3: 7, min: 7, max: 7 });
  });
});
