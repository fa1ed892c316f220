import { OP_ALLOCATE, OP_FREE, OP_REALLOCATE } from '@mems/traces';
import { describe, expect, it } from 'vitest';
import type { TraceScript } from '../traces/trace-script.js';
import { compileTraceLoop } from './trace-loop.js';

/** A trace of 3 blocks: a, b allocated; a grown; b freed; c allocated; a and c left live. */
const SCRIPT: TraceScript = {
  name: 'tiny',
  length: 5,
  ops: Uint8Array.from([OP_ALLOCATE, OP_ALLOCATE, OP_REALLOCATE, OP_FREE, OP_ALLOCATE]),
  slots: Uint32Array.from([0, 1, 0, 1, 2]),
  sizes: Uint32Array.from([10, 20, 30, 0, 40]),
  blocks: 3,
};

/** An allocator that logs every call; addresses count up from 100. */
function loggingTarget() {
  const log: string[] = [];
  let next = 100;
  return {
    log,
    alloc: (n: number) => {
      log.push(`alloc ${n}`);
      return next++;
    },
    release: (p: number) => {
      log.push(`release ${p}`);
    },
    grow: (p: number, n: number) => {
      log.push(`grow ${p} ${n}`);
      return next++;
    },
  };
}

describe('the compiled trace replay', () => {
  it('runs every operation on the named methods, times only them, then frees what the trace left live', () => {
    const target = loggingTarget();
    const slots = new Float64Array(SCRIPT.blocks).fill(-1);
    let now = 0;
    const clock = () => {
      now += 1000;
      // The first reading comes before any call, the second right after the trace's last one.
      target.log.push(`clock ${now}`);
      return now;
    };
    const elapsed = compileTraceLoop({ malloc: 'alloc', free: 'release', realloc: 'grow' })(
      target,
      SCRIPT,
      slots,
      clock,
    );
    expect(elapsed).toBe(1000);
    expect(target.log).toEqual([
      'clock 1000',
      'alloc 10',
      'alloc 20',
      'grow 100 30',
      'release 101',
      'alloc 40',
      'clock 2000',
      'release 102',
      'release 103',
    ]);
    expect(Array.from(slots)).toEqual([-1, -1, -1]);
  });

  it('gives each side a copy of its own (no call site shared between two allocators)', () => {
    const methods = { malloc: 'alloc', free: 'release', realloc: 'grow' };
    expect(compileTraceLoop(methods)).not.toBe(compileTraceLoop(methods));
  });

  it('refuses a method name that is not an identifier', () => {
    expect(() => compileTraceLoop({ malloc: 'alloc(1); evil', free: 'f', realloc: 'r' })).toThrow(
      /is not a method name/,
    );
  });
});
