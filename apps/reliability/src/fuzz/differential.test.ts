import { mems_malloc, mems_view } from '@mems/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Command, growingSequenceArb, type InitOptions, sequenceArb } from './commands.js';
import { DifferentialMismatch, newCounters, runSequence } from './run-sequence.js';

const seedOptions: InitOptions = {
  pageSize: 4096,
  startAddress: 1000,
  alignment: 1,
  policy: 'first-fit',
  minNodePages: 1,
  autoTrim: false,
  maxPages: null,
};
const SEED_LIKE: Command[] = [
  { op: 'init', options: seedOptions },
  { op: 'malloc', size: 1000 },
  { op: 'malloc', size: 1000 },
  { op: 'write', at: { at: 'live', pick: 0 }, seed: 7 },
  { op: 'free', at: { at: 'live', pick: 1 } },
];

function mismatchOf(action: () => void): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DifferentialMismatch);
    return (error as Error).message;
  }
  throw new Error('expected a DifferentialMismatch');
}

describe('@mems/api against the reference model', () => {
  it('agrees after every step of random sequences (every option, bad calls, faults)', () => {
    const counters = newCounters();
    fc.assert(
      fc.property(sequenceArb(60), (sequence) => {
        runSequence(sequence, counters);
      }),
      { numRuns: 500 },
    );
    expect(counters.operations).toBeGreaterThan(5000);
    expect(counters.faultsInjected).toBeGreaterThan(0);
    expect(counters.cacheReuses).toBeGreaterThan(0); // heaps with the front cache on were driven
  });

  it('agrees on long sequences over one growing heap (past the sizes where the core tables grow)', () => {
    const counters = newCounters();
    fc.assert(
      fc.property(growingSequenceArb(300), (sequence) => {
        runSequence(sequence, counters);
      }),
      { numRuns: 25 },
    );
    expect(counters.peakSegments).toBeGreaterThan(64);
  });

  it('runs a seed-like sequence cleanly', () => {
    expect(() => runSequence(SEED_LIKE)).not.toThrow();
  });

  it('catches an allocation made behind its back, with the sequence so far', () => {
    const message = mismatchOf(() =>
      runSequence(SEED_LIKE, newCounters(), (step) => step === 2 && mems_malloc(10)),
    );
    expect(message).toContain('mems_print_stats() printed');
    expect(message).toContain('P[1000:1999] <-> P[2000:2009] <-> H[2010:5095]');
    expect(message).toMatch(/1\. init\(.*\n\s+2\. malloc\(1000\)\s+mems_malloc\(1000\) → 1000$/);
  });

  it('catches a byte changed behind its back', () => {
    const message = mismatchOf(() =>
      runSequence(SEED_LIKE, newCounters(), (step) => {
        if (step === 4) mems_view(1500, 1)[0]! ^= 1;
      }),
    );
    expect(message).toMatch(
      /^block 1000 \(1000 bytes\): byte 1500 reads \d+ through the view, the model says \d+/,
    );
  });
});
