import { describe, expect, it } from 'vitest';
import { measureBatches } from './measure.js';

describe('measureBatches', () => {
  it('runs calibration, warm-up and the trials, and reports ns per operation', () => {
    let units = 0;
    let sink = 0;
    const run = (n: number): void => {
      units += n;
      for (let i = 0; i < n * 100; i++) sink += i;
    };
    const m = measureBatches(run, 4, { trials: 5, targetTrialMs: 1, warmupMs: 1 });
    expect(sink).toBeGreaterThan(0);
    expect(m.samples).toHaveLength(5);
    expect(m.ns.n).toBe(5);
    expect(m.ns.min).toBeLessThanOrEqual(m.ns.median);
    expect(m.ns.median).toBeLessThanOrEqual(m.ns.max);
    expect(m.ns.min).toBeGreaterThan(0);
    expect(m.totalOps).toBe(units * 4);
    expect(m.opsPerTrial % 4).toBe(0);
  });

  it('warms up for at least the units asked for, and runs extra units for the heap check', () => {
    let units = 0;
    const m = measureBatches(
      (n) => {
        units += n;
      },
      1,
      { trials: 2, targetTrialMs: 0.001, warmupMs: 0 },
      { minWarmupUnits: 5000, minHeapUnits: 100_000 },
    );
    expect(units).toBeGreaterThanOrEqual(5000 + 100_000);
    expect(m.heapOps).toBeGreaterThanOrEqual(100_000);
  });

  it('calls afterTrial once per trial', () => {
    let calls = 0;
    measureBatches(
      () => {},
      1,
      { trials: 3, targetTrialMs: 0.01, warmupMs: 0 },
      { afterTrial: () => calls++ },
    );
    expect(calls).toBe(3);
  });
});
